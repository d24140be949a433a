import { defineCommand } from '../../cli/spec.js';
import { flags } from './flags.js';

export const spec = defineCommand({
  name: 'delete',
  aliases: ['rm'],
  summary: 'Delete a subscription and its stored secret',
  group: 'Subscriptions',
  api: true,
  arguments: [{ name: '<uid>', description: 'subscription uid' }],
  flags,
  examples: ['pictify-hooks delete wh_123', 'pictify-hooks delete wh_123 --yes'],
  run: async (ctx, [uid]: [string], options) => (await import('./run.js')).run(ctx, uid, options),
});
