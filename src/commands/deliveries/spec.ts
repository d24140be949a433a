import { parseCount } from '../../cli/flags.js';
import type { CommandSpec } from '../../cli/spec.js';

export const spec: CommandSpec = {
  name: 'deliveries',
  summary: "Show the local emulator's delivery log: every attempt, its answer, latency and next retry",
  group: 'Emulator',
  options: [
    { flags: '--subscription <uid>', description: 'only this subscription' },
    { flags: '--limit <n>', description: 'show the last n attempts', default: '50' },
  ],
  examples: ['pictify-hooks deliveries', 'pictify-hooks deliveries --subscription wh_123 --json'],
  run: async (ctx, _args, flags: { subscription?: string; limit: string }) => {
    const { run } = await import('./run.js');
    await run(ctx, {
      subscription: flags.subscription,
      limit: parseCount(flags.limit, '--limit', { max: 2000 }),
    });
  },
};
