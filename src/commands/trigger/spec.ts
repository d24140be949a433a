import { collect } from '../../cli/flags.js';
import type { CommandSpec } from '../../cli/spec.js';
import type { RawFlags } from './run.js';

export const spec: CommandSpec = {
  name: 'trigger',
  summary: 'Raise an event on the local emulator: it signs and delivers it to every matching subscription',
  group: 'Emulator',
  arguments: [{ name: '<event>', description: 'event name, e.g. render.completed', complete: 'events' }],
  options: [
    {
      flags: '--set <path=value>',
      description: 'override a field of the sample event (JSON values), e.g. data.templateId=tmpl_1; repeatable',
      parse: collect,
    },
    { flags: '--data <@file|-|json>', description: 'JSON object merged over the sample event data' },
    { flags: '--no-wait', description: 'answer at once instead of waiting for the first delivery attempts' },
  ],
  examples: [
    'pictify-hooks trigger render.completed',
    'pictify-hooks trigger render.completed --set data.templateId=tmpl_1 --set data.type=gif',
    'pictify-hooks trigger batch.completed --data @batch-data.json --json',
  ],
  run: async (ctx, [event]: [string], flags: RawFlags) => {
    const m = await import('./run.js');
    await m.run(ctx, await m.toOptions(ctx, event, flags));
  },
};
