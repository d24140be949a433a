import { EVENT_CATALOGUE } from './catalogue/index.js';
import { SAMPLE_TIME } from './catalogue/entry.js';
import type { EventName } from './names.js';
import type { EventOf } from './types.js';

// One sample per event, from the catalogue's entries, each carrying every documented field (test/unit/events checks
// this against DOCUMENTED_FIELDS). Use buildSampleEvent() for a fresh copy: these objects are shared and frozen.

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** The shared, frozen samples. Copy before changing (buildSampleEvent does). */
export const SAMPLE_EVENTS = deepFreeze(
  Object.fromEntries(
    EVENT_CATALOGUE.map((entry) => [
      entry.name,
      { event: entry.name, timestamp: SAMPLE_TIME, data: structuredClone(entry.sample) },
    ]),
  ),
) as { readonly [N in EventName]: EventOf<N> };
