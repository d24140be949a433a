import { defineCommand } from '../../cli/spec.js';
import { flags } from './flags.js';

export const spec = defineCommand({
  name: 'trigger',
  summary: 'Raise an event on the local emulator: it signs and delivers it to every matching subscription',
  group: 'Emulator',
  api: true,
  arguments: [{ name: '<event>', description: 'event name, e.g. render.completed', complete: 'events' }],
  flags,
  examples: [
    'pictify-hooks trigger render.completed',
    'pictify-hooks trigger render.completed --set data.templateId=tmpl_1 --set data.type=gif',
    'pictify-hooks trigger batch.completed --data @batch-data.json --json',
  ],
  run: async (ctx, [event]: [string], options) => {
    const m = await import('./run.js');
    await m.run(ctx, await m.toOptions(ctx, event, options));
  },
});
