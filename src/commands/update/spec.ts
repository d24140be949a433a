import { defineCommand } from '../../cli/spec.js';
import { flags } from './flags.js';

export const spec = defineCommand({
  name: 'update',
  summary: "Change a subscription's url, filters or status",
  group: 'Subscriptions',
  api: true,
  arguments: [{ name: '<uid>', description: 'subscription uid' }],
  flags,
  examples: [
    'pictify-hooks update wh_123 --url https://example.com/new-hook',
    'pictify-hooks update wh_123 --status paused',
    "pictify-hooks update wh_123 --template-id ''",
    'pictify-hooks update wh_123 --clear-filters',
  ],
  run: async (ctx, [uid]: [string], options) => (await import('./run.js')).run(ctx, uid, options),
});
