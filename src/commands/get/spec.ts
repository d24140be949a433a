import type { CommandSpec } from '../../cli/spec.js';

export const spec: CommandSpec = {
  name: 'get',
  summary: 'Show one subscription',
  group: 'Subscriptions',
  api: true,
  arguments: [{ name: '<uid>', description: 'subscription uid' }],
  examples: ['pictify-hooks get wh_123', 'pictify-hooks get wh_123 --json'],
  run: async (ctx, [uid]: [string]) => (await import('./run.js')).run(ctx, uid),
};
