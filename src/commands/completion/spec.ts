import type { CommandSpec } from '../../cli/spec.js';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;

export const spec: CommandSpec = {
  name: 'completion',
  summary: 'Print a shell completion script (commands, flags and event names)',
  group: 'Other',
  arguments: [{ name: '<shell>', description: 'your shell', choices: SHELLS, complete: SHELLS }],
  examples: [
    'source <(pictify-hooks completion bash)',
    'pictify-hooks completion zsh > "${fpath[1]}/_pictify-hooks"',
    'pictify-hooks completion fish | source',
  ],
  run: async (ctx, [shell]: [(typeof SHELLS)[number]], _options, invocation) =>
    (await import('./run.js')).run(ctx, shell, invocation.program),
};
