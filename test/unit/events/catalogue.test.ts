import { describe, expect, it } from 'vitest';
import {
  DOCUMENTED_FIELDS,
  EVENT_NAMES,
  FIELD_SCHEMA,
  SAMPLE_EVENTS,
  buildSampleEvent,
  isEventName,
  validateEvent,
} from '../../../src/events/index.js';

function has(obj: unknown, path: string): boolean {
  let node: unknown = obj;
  for (const key of path.split('.')) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) return false;
    node = (node as Record<string, unknown>)[key];
  }
  return node !== undefined;
}

describe('event catalogue consistency', () => {
  it('lists the six Pictify events', () => {
    expect([...EVENT_NAMES]).toEqual([
      'render.completed',
      'render.failed',
      'batch.completed',
      'batch.failed',
      'binding.updated',
      'binding.failed',
    ]);
  });

  it('has a sample, documented fields and a schema for every event, and nothing else', () => {
    expect(Object.keys(SAMPLE_EVENTS).sort()).toEqual([...EVENT_NAMES].sort());
    expect(Object.keys(DOCUMENTED_FIELDS).sort()).toEqual([...EVENT_NAMES].sort());
    expect(Object.keys(FIELD_SCHEMA).sort()).toEqual([...EVENT_NAMES].sort());
  });

  for (const name of EVENT_NAMES) {
    describe(name, () => {
      it('sample names its own event and validates', () => {
        expect(SAMPLE_EVENTS[name].event).toBe(name);
        expect(validateEvent(SAMPLE_EVENTS[name])).toEqual({ ok: true, event: SAMPLE_EVENTS[name] });
      });

      it('sample carries every documented field', () => {
        const missing = DOCUMENTED_FIELDS[name].filter((path) => !has(SAMPLE_EVENTS[name], path));
        expect(missing).toEqual([]);
      });

      it('validator checks every documented data field', () => {
        const unchecked = DOCUMENTED_FIELDS[name]
          .filter((path) => path.startsWith('data.'))
          .filter((path) => !Object.hasOwn(FIELD_SCHEMA[name], path.slice('data.'.length)));
        expect(unchecked).toEqual([]);
      });

      it('schema has no field the docs do not list', () => {
        const undocumented = Object.keys(FIELD_SCHEMA[name]).filter(
          (f) => !DOCUMENTED_FIELDS[name].includes(`data.${f}`),
        );
        expect(undocumented).toEqual([]);
      });

      it('sample carries data.deliveryId, as Pictify handler examples read it', () => {
        expect(typeof (SAMPLE_EVENTS[name].data as { deliveryId?: unknown }).deliveryId).toBe('string');
      });

      it('built sample validates', () => {
        const built = buildSampleEvent(name, { deliveryId: 'del_1', now: Date.UTC(2030, 0, 2, 3, 4, 5) });
        expect(validateEvent(built).ok).toBe(true);
      });
    });
  }

  it('samples are frozen so nobody edits the shared copy', () => {
    expect(Object.isFrozen(SAMPLE_EVENTS['render.completed'])).toBe(true);
    expect(Object.isFrozen(SAMPLE_EVENTS['render.completed'].data)).toBe(true);
  });

  it('isEventName', () => {
    expect(isEventName('binding.failed')).toBe(true);
    expect(isEventName('render.started')).toBe(false);
    expect(isEventName(42)).toBe(false);
    expect(isEventName(undefined)).toBe(false);
  });
});

describe('buildSampleEvent', () => {
  const now = Date.UTC(2030, 0, 2, 3, 4, 5, 678);

  it('returns a fresh deep copy each time', () => {
    const a = buildSampleEvent('render.completed', { now });
    const b = buildSampleEvent('render.completed', { now });
    expect(a).toEqual(b);
    expect(a).not.toBe(b);
    expect(a.data.variables).not.toBe(b.data.variables);
    a.data.url = 'changed';
    expect(SAMPLE_EVENTS['render.completed'].data.url).not.toBe('changed');
  });

  it('stamps the envelope (and the render time) with now, in whole seconds like Pictify', () => {
    const event = buildSampleEvent('render.completed', { now });
    expect(event.timestamp).toBe('2030-01-02T03:04:05Z');
    expect(event.data.renderedAt).toBe('2030-01-02T03:04:05Z');
  });

  it('accepts a Date', () => {
    expect(buildSampleEvent('batch.completed', { now: new Date(now) }).timestamp).toBe('2030-01-02T03:04:05Z');
  });

  it('announces the next binding retry after now', () => {
    expect(buildSampleEvent('binding.failed', { now }).data.nextRetry).toBe('2030-01-02T03:34:05Z');
  });

  it('sets data.deliveryId when given and keeps the sample one otherwise', () => {
    expect(buildSampleEvent('batch.failed', { deliveryId: 'del_42' }).data.deliveryId).toBe('del_42');
    expect(buildSampleEvent('batch.failed').data.deliveryId).toBe(SAMPLE_EVENTS['batch.failed'].data.deliveryId);
  });

  it('defaults now to the clock', () => {
    const before = Date.now() - 1000;
    expect(Date.parse(buildSampleEvent('render.failed').timestamp)).toBeGreaterThanOrEqual(before);
  });

  it('rejects an invalid now', () => {
    expect(() => buildSampleEvent('render.failed', { now: Number.NaN })).toThrow(RangeError);
  });
});
