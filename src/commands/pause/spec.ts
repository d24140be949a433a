import type { CommandSpec } from '../../cli/spec.js';

export const spec: CommandSpec = {
  name: 'pause',
  summary: 'Stop deliveries to a subscription',
  group: 'Subscriptions',
  api: true,
  arguments: [{ name: '<uid>', description: 'subscription uid' }],
  examples: ['pictify-hooks pause wh_123'],
  run: async (ctx, [uid]: [string]) => (await import('../shared/pause-resume.js')).run(ctx, 'pause', uid),
};
