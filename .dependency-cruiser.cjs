// Layer rules and the import-cycle check (type-only imports included: `tsPreCompilationDeps`). Run by `npm run lint`.
const DOMAIN =
  '^src/(signing|events|api|outbound|receiver|store|adapters|inspector|emulator|conformance|output|text)/|^src/(errors|host|index)\\.ts$';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle in src: break it by moving the shared piece down a layer.',
      from: { path: '^src' },
      to: { circular: true },
    },
    {
      name: 'domain-not-to-cli',
      severity: 'error',
      comment:
        'Domain code imports neither the CLI (src/cli/) nor the commands (src/commands/): throw an error that ' +
        'carries data (src/errors.ts) and let src/cli/ map it to an exit code and a hint; take what the host gives ' +
        'as the types in src/host.ts, not the Context.',
      from: { path: DOMAIN },
      to: { path: '^src/(cli|commands)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
