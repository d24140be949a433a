import { defineCommand } from '../../cli/spec.js';
import { flags } from './flags.js';

export const spec = defineCommand({
  name: 'inspect',
  summary: 'Browse the event store in a local web page (read-only; `listen --ui` adds live replay)',
  group: 'Receiving',
  flags,
  examples: ['pictify-hooks inspect', 'pictify-hooks inspect --store ./ci-events.jsonl --ui-port 0 --open'],
  run: async (ctx, _args, options) => (await import('./run.js')).run(ctx, options),
});
