import { defineCommand } from '../../cli/spec.js';
import { flags } from './flags.js';

export const spec = defineCommand({
  name: 'deliveries',
  summary: "Show the local emulator's delivery log: every attempt, its answer, latency and next retry",
  group: 'Emulator',
  api: true,
  flags,
  examples: ['pictify-hooks deliveries', 'pictify-hooks deliveries --subscription wh_123 --json'],
  run: async (ctx, _args, options) => (await import('./run.js')).run(ctx, options),
});
