import { parseCount, parseEventPattern } from '../../cli/flags.js';
import { text, value, type FlagValues } from '../../cli/spec.js';

const store = () => text('--store <file>', 'event store file (default: events.jsonl in the config folder)');

export const listFlags = {
  event: value('--event <event>', 'only this event (or glob, e.g. "render.*")', parseEventPattern, {
    complete: 'events',
  }),
  limit: value('--limit <n>', 'how many to show', (v, f) => parseCount(v, f), { default: '20' }),
  store: store(),
};
export type EventsListOptions = FlagValues<typeof listFlags>;

export const showFlags = { store: store() };
