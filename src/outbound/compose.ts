// Turns an event name plus the user's overrides (--data, --set) into the exact JSON bytes that get signed.
// For load mode it also yields a template split around the delivery id, so each delivery costs one string
// concatenation instead of a clone-and-serialize.
import { randomBytes } from 'node:crypto';
import { InputError } from '../errors.js';
import { buildSampleEvent } from '../events/build.js';
import type { EventName } from '../events/names.js';
import { applySet } from '../events/set.js';

export interface BodyOverrides {
  /** Shallow-merged into `data` (from `--data @file`). */
  data?: Record<string, unknown>;
  /** `--set path=value`, applied after `data`, in order. */
  sets?: Array<{ path: string; raw: string }>;
}

/**
 * The time a sample's own fields (`timestamp`, `renderedAt`, …) show: a pinned signature timestamp (`--timestamp`,
 * unix seconds) when there is one, so header and body agree as Pictify's would, else the clock.
 */
export function sampleTimeMs(pinnedTimestamp: number | undefined, nowMs: number): number {
  return pinnedTimestamp === undefined ? nowMs : pinnedTimestamp * 1000;
}

export function composeEvent(
  event: EventName,
  options: { deliveryId: string; nowMs: number; overrides?: BodyOverrides },
): Record<string, unknown> {
  const envelope = buildSampleEvent(event, { deliveryId: options.deliveryId, now: options.nowMs }) as unknown as Record<
    string,
    unknown
  >;
  const { data, sets } = options.overrides ?? {};
  if (data) Object.assign(envelope.data as Record<string, unknown>, data);
  for (const { path, raw } of sets ?? []) applySet(envelope, path, raw);
  return envelope;
}

/** Compact JSON, as Pictify sends it. */
export function composeEventBody(
  event: EventName,
  options: { deliveryId: string; nowMs: number; overrides?: BodyOverrides },
): string {
  return JSON.stringify(composeEvent(event, options));
}

/**
 * A body is `head + deliveryId + tail`; when the user pinned data.deliveryId themselves, `tail` is undefined and
 * `head` is the whole body.
 */
export interface BodyTemplate {
  event: EventName;
  head: string;
  tail?: string;
}

export function composeEventTemplate(
  event: EventName,
  options: { nowMs: number; overrides?: BodyOverrides },
): BodyTemplate {
  // JSON.stringify never produces this marker from other data: it is random and contains no escapable characters.
  const marker = `__pictify_delivery_${randomBytes(16).toString('hex')}__`;
  const body = composeEventBody(event, { deliveryId: marker, nowMs: options.nowMs, overrides: options.overrides });
  const at = body.indexOf(marker);
  if (at < 0 || body.indexOf(marker, at + marker.length) >= 0) return { event, head: body };
  return { event, head: body.slice(0, at), tail: body.slice(at + marker.length) };
}

export function fillTemplate(template: BodyTemplate, deliveryId: string): string {
  return template.tail === undefined ? template.head : template.head + deliveryId + template.tail;
}

/** `--data @file`: a JSON object merged into `data`. */
export function parseDataOverride(bytes: Buffer, flag = '--data'): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new InputError(`${flag}: not valid JSON: ${(error as Error).message}`, 'invalid_json');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError(`${flag}: expected a JSON object to merge into data`, 'not_an_object');
  }
  return value as Record<string, unknown>;
}

/** The `event` field of a verbatim payload, when it has one (for X-Pictify-Event). */
export function eventOfPayload(bytes: Buffer): string | undefined {
  try {
    const value = JSON.parse(bytes.toString('utf8')) as unknown;
    if (value && typeof value === 'object' && typeof (value as { event?: unknown }).event === 'string') {
      return (value as { event: string }).event;
    }
  } catch {
    // A verbatim payload need not be JSON (that is what a receiver test may want to send).
  }
  return undefined;
}
