import { defineCommand } from '../../cli/spec.js';
import { flags } from './flags.js';

export const spec = defineCommand({
  name: 'import',
  summary: 'Write a subscriptions file from the live subscriptions (names derived, uids recorded in the profile)',
  description:
    'Writes pictify-hooks.yaml (or -o file; "-" for stdout) from the live subscriptions, so that `plan` right after ' +
    'finds no changes, and lists the subscriptions whose secret this profile does not hold (Pictify shows it only ' +
    'at creation).',
  group: 'Subscriptions',
  api: true,
  flags,
  examples: [
    'pictify-hooks import',
    'pictify-hooks import -o staging.yaml --profile staging',
    'pictify-hooks import -o -',
  ],
  run: async (ctx, _args, options) => (await import('./run.js')).run(ctx, options),
});
