import { defineCommand } from '../../cli/spec.js';
import { flags } from './flags.js';

export const spec = defineCommand({
  name: 'cleanup',
  summary: 'Delete temporary subscriptions left by a `listen --subscribe` that died',
  description:
    'Delete the temporary subscriptions (and their secrets) of `listen --subscribe` runs that no longer run on this ' +
    'host — after a kill -9 or a crash. A running listen’s are left alone, and so are another host’s.',
  group: 'Receiving',
  api: true,
  flags,
  examples: ['pictify-hooks cleanup', 'pictify-hooks cleanup --dry-run', 'pictify-hooks --profile ci cleanup'],
  run: async (ctx, _args, options) => (await import('./run.js')).run(ctx, options),
});
