// `npm run build`, after tsc: the CLI bundled by esbuild into dist/bundle/, which bin/ runs. The rest of dist/ is
// tsc's, one module and one .d.ts per source file: the library (consumers' bundlers split and shake it themselves,
// its types sit beside it) and the modules tests run in their own processes.
//
// One bundle, code-split where the source imports lazily: the entry holds main, commander and every command's
// spec, which `--help` needs and nothing else; each command's run (`await import('./x-run.js')` in its spec) and
// what only it uses come in chunks loaded when it runs.
//
// Then every chunk is turned into CommonJS (esbuild's own ESM → CJS transform, the dynamic imports between chunks
// becoming require()): esbuild splits only ES modules, and Node 20 loads a CommonJS file without starting its ES
// module loader, several milliseconds of every start-up (bench: start-up figures). Each chunk's first line names
// the sources it holds, so a reader (and test/unit/cli/startup.test.ts) can tell what a command loaded.
import * as esbuild from 'esbuild';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'dist', 'bundle');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
// The Node versions package.json accepts: the syntax the bundle may use.
const TARGET = `node${/^>=\s*([\d.]+)$/.exec(pkg.engines.node)[1]}`;
// Dependencies bundled into the CLI: commander, which every start-up loads (one chunk instead of its files, found
// in node_modules), and the ES-module-only chalk and ora, so that no CommonJS chunk has to require() an ES module.
// The others stay in node_modules and are required where the source imports them: an import() of a CommonJS
// package bundled with code splitting would give only its default export (undici's Agent would be undefined).
// Peer dependencies are the user's.
const BUNDLED = new Set(['commander', 'chalk', 'ora']);
const external = [...Object.keys(pkg.dependencies), ...Object.keys(pkg.peerDependencies ?? {})].filter(
  (name) => !BUNDLED.has(name),
);

/**
 * commander requires node:child_process when it loads, for executable subcommands (`git-foo` style), which this CLI
 * does not have: loading child_process (and the dgram, net and socket modules behind it) is a share of every
 * start-up for nothing. commander's own require of it gets a stand-in that requires it on first use instead.
 */
const deferCommanderChildProcess = {
  name: 'defer-commander-child-process',
  setup(build) {
    build.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer)
        ? { path: 'child_process', namespace: 'deferred-builtin' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'deferred-builtin' }, (args) => ({
      contents:
        `let loaded;\n` +
        `module.exports = new Proxy({}, { get: (_, key) => (loaded ??= require('node:${args.path}'))[key] });\n`,
      loader: 'js',
    }));
  },
};

const split = await esbuild.build({
  absWorkingDir: ROOT,
  entryPoints: { 'pictify-hooks': 'src/cli/main.ts' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: TARGET,
  external,
  // esbuild groups modules into chunks by the set of entry points that reach them, and counts every lazily
  // imported module as an entry point without knowing that whoever imports it has already loaded main. Injected
  // into every entry point, main's own graph is reached by all of them and lands in one chunk, instead of a dozen
  // small ones that `--help` would load one by one. It changes nothing at run time: main is loaded first. (Through
  // a file that only imports it: an injected file's exports would also stand in for globals of the same names.)
  inject: ['scripts/bundle-main.mjs'],
  outdir: OUT,
  entryNames: '[name]',
  chunkNames: '[name]-[hash]',
  outExtension: { '.js': '.cjs' },
  metafile: true,
  write: false,
  logLevel: 'warning',
  plugins: [deferCommanderChildProcess],
});

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
for (const file of split.outputFiles) {
  // A package's files as node_modules/…, wherever node_modules really is (a worktree's may be a symlink elsewhere).
  const sources = Object.keys(split.metafile.outputs[relative(ROOT, file.path)].inputs).map((source) =>
    source.replace(/^.*?\bnode_modules\//, 'node_modules/'),
  );
  // A CommonJS module has no import.meta: the chunk's own file URL stands in (the version is read from package.json
  // and the inspector's web/ folder found relative to it).
  const usesMeta = file.text.includes('import.meta');
  const cjs = await esbuild.transform(file.text, {
    format: 'cjs',
    platform: 'node',
    target: TARGET,
    loader: 'js',
    // import() of a chunk becomes a require() of it (wrapped in a promise, as the source awaits it).
    supported: { 'dynamic-import': false },
    minifyWhitespace: true,
    minifySyntax: true,
    ...(usesMeta && {
      define: { 'import.meta.url': '__bundle_file_url' },
      banner: `const __bundle_file_url = require('node:url').pathToFileURL(__filename).href;`,
    }),
    logLevel: 'warning',
  });
  const header = sources.length
    ? `// ${sources.join(', ')}\n`
    : '// the entry point: main and the rest in the chunks it requires\n';
  writeFileSync(join(OUT, basename(file.path)), header + cjs.code);
}

// The inspector's page loads its modules from web/ beside the code that serves them (src/inspector/routes.ts).
await esbuild.build({
  absWorkingDir: ROOT,
  entryPoints: ['src/inspector/web/*.ts'],
  outdir: join(OUT, 'web'),
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  logLevel: 'warning',
});
