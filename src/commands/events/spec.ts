import { parseCount, parseEventPattern } from '../../cli/flags.js';
import type { CommandSpec } from '../../cli/spec.js';

const load = () => import('./run.js');
const store = { flags: '--store <file>', description: 'event store file (default: events.jsonl in the config folder)' };

export const spec: CommandSpec = {
  name: 'events',
  summary: 'Show the deliveries `listen` stored',
  group: 'Receiving',
  examples: ['pictify-hooks events list', 'pictify-hooks events show evt_01j2…'],
  subcommands: [
    {
      name: 'list',
      summary: 'List stored deliveries, newest first',
      options: [
        { flags: '--event <event>', description: 'only this event (or glob, e.g. "render.*")', complete: 'events' },
        { flags: '--limit <n>', description: 'how many to show', default: '20' },
        store,
      ],
      examples: ['pictify-hooks events list --event render.completed --limit 5', 'pictify-hooks events list --json'],
      run: async (ctx, _args, flags: { event?: string; limit: string; store?: string }) =>
        (await load()).runList(ctx, {
          event: flags.event === undefined ? undefined : parseEventPattern(flags.event, '--event'),
          store: flags.store,
          limit: parseCount(flags.limit, '--limit'),
        }),
    },
    {
      name: 'show',
      summary: 'Show one stored delivery: headers, body, verdict, forward result',
      arguments: [{ name: '<id>', description: 'event id (a unique prefix works), or a delivery id' }],
      options: [store],
      examples: ['pictify-hooks events show evt_01j2abcd', 'pictify-hooks events show del_4f2a… --json'],
      run: async (ctx, [id]: [string], flags: { store?: string }) => (await load()).runShow(ctx, id, flags),
    },
  ],
};
