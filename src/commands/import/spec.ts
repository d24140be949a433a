import type { CommandSpec } from '../../cli/spec.js';
import type { ImportOptions } from './run.js';

export const spec: CommandSpec = {
  name: 'import',
  summary: 'Write a subscriptions file from the live subscriptions (names derived, uids recorded in the profile)',
  description:
    'Writes pictify-hooks.yaml (or -o file; "-" for stdout) from the live subscriptions, so that `plan` right after ' +
    'finds no changes, and lists the subscriptions whose secret this profile does not hold (Pictify shows it only ' +
    'at creation).',
  group: 'Subscriptions',
  options: [
    { flags: '-o, --output <file>', description: 'where to write it (default pictify-hooks.yaml; - for stdout)' },
    { flags: '--force', description: 'overwrite an existing file' },
  ],
  examples: [
    'pictify-hooks import',
    'pictify-hooks import -o staging.yaml --profile staging',
    'pictify-hooks import -o -',
  ],
  run: async (ctx, _args, options: ImportOptions) => (await import('./run.js')).run(ctx, options),
};
