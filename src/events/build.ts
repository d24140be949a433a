import { eventEntry, type EventName } from './names.js';
import { SAMPLE_EVENTS } from './samples.js';
import type { EventOf } from './types.js';

export interface BuildSampleOptions {
  /** Set as `data.deliveryId` (Pictify's examples read it there as well as in X-Pictify-Delivery-Id). */
  deliveryId?: string;
  /** The event time: a Date, or milliseconds since the epoch like Context.now(). Defaults to the real clock. */
  now?: Date | number;
}

/** Pictify writes whole seconds: 2026-01-29T10:30:00Z. */
function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** A fresh, mutable copy of the sample for `name`, stamped with `now` and the delivery id. */
export function buildSampleEvent<N extends EventName>(name: N, options: BuildSampleOptions = {}): EventOf<N> {
  const event = structuredClone(SAMPLE_EVENTS[name]) as EventOf<N>;
  const nowMs =
    options.now === undefined ? Date.now() : options.now instanceof Date ? options.now.getTime() : options.now;
  if (!Number.isFinite(nowMs)) throw new RangeError(`now must be a valid time, got ${String(options.now)}`);
  event.timestamp = isoSeconds(nowMs);
  const data = event.data as unknown as Record<string, unknown>;
  const offsets: Record<string, number | undefined> = eventEntry<EventName>(name).timesFromNow;
  for (const [field, offsetSeconds] of Object.entries(offsets)) {
    if (offsetSeconds !== undefined) data[field] = isoSeconds(nowMs + offsetSeconds * 1000);
  }
  if (options.deliveryId !== undefined) data.deliveryId = options.deliveryId;
  return event;
}
