import type { CommandSpec } from '../../cli/spec.js';

export const spec: CommandSpec = {
  name: 'demo',
  summary:
    'Run the whole webhook loop on this machine, offline: emulator → subscriptions → deliveries → listen → replay',
  group: 'Other',
  examples: ['pictify-hooks demo', 'pictify-hooks demo --json'],
  run: async (ctx) => (await import('./run.js')).run(ctx),
};
