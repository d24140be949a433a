import type { CommandSpec } from '../../cli/spec.js';

export const spec: CommandSpec = {
  name: 'delete',
  aliases: ['rm'],
  summary: 'Delete a subscription and its stored secret',
  group: 'Subscriptions',
  arguments: [{ name: '<uid>', description: 'subscription uid' }],
  options: [{ flags: '-y, --yes', description: 'do not ask for confirmation' }],
  examples: ['pictify-hooks delete wh_123', 'pictify-hooks delete wh_123 --yes'],
  run: async (ctx, [uid]: [string], options: { yes?: boolean }) => (await import('./run.js')).run(ctx, uid, options),
};
