import { FIELD_SCHEMA, type FieldKind } from './fields.js';
import { EVENT_NAMES, isEventName, type EventName } from './names.js';
import type { PictifyEvent } from './types.js';
import { isJsonObject } from './json-object.js';

export interface FieldError {
  /** Dot path of the offending field, e.g. `data.url`; `(root)` for the body itself. */
  field: string;
  message: string;
}

export type ValidationResult = { ok: true; event: PictifyEvent } | { ok: false; errors: FieldError[] };

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return typeof value;
}

/** "got …" text; a malformed date is quoted (shortened) because its type alone would not say what is wrong. */
function got(kind: FieldKind, value: unknown): string {
  if (kind === 'datetime' && typeof value === 'string') {
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  }
  return describe(value);
}

/** ISO 8601 date-time as Pictify writes it (2026-01-29T10:30:00Z, with optional fraction and offset). */
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

const EXPECTED: Record<FieldKind, string> = {
  string: 'string',
  number: 'number',
  integer: 'integer',
  object: 'object',
  datetime: 'ISO 8601 date-time string',
};

function matchesKind(kind: FieldKind, value: unknown): boolean {
  switch (kind) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return Number.isInteger(value);
    case 'object':
      return isJsonObject(value);
    case 'datetime':
      return typeof value === 'string' && ISO_DATETIME.test(value) && !Number.isNaN(Date.parse(value));
  }
}

const entriesByEvent = new Map<EventName, Array<[string, (typeof FIELD_SCHEMA)[EventName][string]]>>();
function schemaEntries(event: EventName) {
  let entries = entriesByEvent.get(event);
  if (!entries) entriesByEvent.set(event, (entries = Object.entries(FIELD_SCHEMA[event])));
  return entries;
}

/**
 * Checks an already-parsed body against the documented envelope and fields. Unknown extra fields pass (Pictify may
 * add some); documented ones must have the documented type. Every problem is reported, each naming its field.
 */
export function validateEvent(body: unknown): ValidationResult {
  if (!isJsonObject(body)) {
    return { ok: false, errors: [{ field: '(root)', message: `expected a JSON object, got ${describe(body)}` }] };
  }
  const errors: FieldError[] = [];
  const { event, timestamp, data } = body;

  if (typeof event !== 'string') {
    errors.push({ field: 'event', message: `expected string, got ${describe(event)}` });
  } else if (!isEventName(event)) {
    errors.push({ field: 'event', message: `unknown event "${event}" (expected one of ${EVENT_NAMES.join(', ')})` });
  }
  if (!matchesKind('datetime', timestamp)) {
    errors.push({ field: 'timestamp', message: `expected ${EXPECTED.datetime}, got ${got('datetime', timestamp)}` });
  }
  if (!isJsonObject(data)) {
    errors.push({ field: 'data', message: `expected object, got ${describe(data)}` });
  } else if (isEventName(event)) {
    // listen validates every delivery: the schema's entries are listed once, and messages built only on errors.
    for (const [name, spec] of schemaEntries(event)) {
      const value = data[name];
      if (value === undefined) {
        if (spec.required) errors.push({ field: `data.${name}`, message: `missing (expected ${EXPECTED[spec.kind]})` });
      } else if (value === null) {
        if (spec.required) errors.push({ field: `data.${name}`, message: `expected ${EXPECTED[spec.kind]}, got null` });
      } else if (!matchesKind(spec.kind, value)) {
        errors.push({
          field: `data.${name}`,
          message: `expected ${EXPECTED[spec.kind]}, got ${got(spec.kind, value)}`,
        });
      }
    }
  }
  return errors.length === 0 ? { ok: true, event: body as unknown as PictifyEvent } : { ok: false, errors };
}

/** One line per error, for messages: `data.url: expected string, got number`. */
export function formatFieldErrors(errors: readonly FieldError[]): string {
  return errors.map((e) => `${e.field}: ${e.message}`).join('; ');
}
