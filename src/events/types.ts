import type { EVENT_CATALOGUE } from './catalogue/index.js';
import type { Envelope, EventEntry } from './catalogue/entry.js';
import type { EventName } from './names.js';

// Payload shapes as Pictify documents them, one per catalogue entry (src/events/catalogue/). Fields the docs show in
// only some examples are optional. Pictify may add fields at any time, so the types describe what is known, not
// everything that can arrive.

export type * from './catalogue/index.js';

type DataOf<E> = E extends EventEntry<string, infer D> ? D : never;

export type EventDataMap = { [E in (typeof EVENT_CATALOGUE)[number] as E['name']]: DataOf<E> };

/** The envelope of one delivery. */
export type PictifyEventEnvelope<N extends EventName = EventName> = Envelope<N, EventDataMap[N]>;

/** Any Pictify webhook event, discriminated by `event`. */
export type PictifyEvent = { [N in EventName]: PictifyEventEnvelope<N> }[EventName];

export type EventOf<N extends EventName> = Extract<PictifyEvent, { event: N }>;
