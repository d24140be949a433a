import type { CommandSpec } from '../../cli/spec.js';

export const spec: CommandSpec = {
  name: 'resume',
  summary: 'Restart deliveries to a paused subscription',
  group: 'Subscriptions',
  api: true,
  arguments: [{ name: '<uid>', description: 'subscription uid' }],
  examples: ['pictify-hooks resume wh_123'],
  run: async (ctx, [uid]: [string]) => (await import('../shared/pause-resume.js')).run(ctx, 'resume', uid),
};
