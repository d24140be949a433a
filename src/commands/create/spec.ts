import { defineCommand } from '../../cli/spec.js';
import { flags } from './flags.js';

export const spec = defineCommand({
  name: 'create',
  summary: 'Create a webhook subscription and store its signing secret',
  group: 'Subscriptions',
  api: true,
  flags,
  examples: [
    'pictify-hooks create --event render.completed --url https://example.com/webhooks/pictify',
    'pictify-hooks create --event batch.completed --url https://example.com/hooks --type pdf',
  ],
  run: async (ctx, _args, options) => (await import('./run.js')).run(ctx, options),
});
