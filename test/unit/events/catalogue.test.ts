import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  DOCUMENTED_FIELDS,
  EVENT_NAMES,
  FIELD_SCHEMA,
  SAMPLE_EVENTS,
  EVENT_CATALOGUE,
  buildSampleEvent,
  eventEntry,
  isEventName,
  notSubscribable,
  validateEvent,
} from '../../../src/events/index.js';
import type { EventEntry } from '../../../src/events/catalogue/entry.js';

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

describe('subscribability', () => {
  it('records the four events the API reference lists, and where the batch events go instead', () => {
    const listed = EVENT_CATALOGUE.filter((e) => e.subscribable === true).map((e) => e.name);
    expect(listed).toEqual(['render.completed', 'render.failed', 'binding.updated', 'binding.failed']);
    expect(eventEntry('batch.completed').subscribable).toEqual({
      deliveredTo: 'batch results go to the webhookUrl given on each batch request',
    });
  });

  it('notSubscribable names only the events that may not be, once each, and ignores names it does not know', () => {
    expect(notSubscribable(['render.completed', 'binding.failed'])).toBeUndefined();
    expect(notSubscribable(['render.started'])).toBeUndefined();
    expect(notSubscribable(['batch.failed', 'render.failed', 'batch.failed'])).toBe(
      "batch.failed may not be subscribable: Pictify's API reference lists only render.completed, render.failed, " +
        'binding.updated, binding.failed for subscriptions; batch results go to the webhookUrl given on each batch ' +
        'request',
    );
  });
});

describe('a catalogue entry', () => {
  // Compile-time half (npm run typecheck): an entry that leaves a part out, or whose fields and payload type
  // disagree, does not compile. The run-time half holds every real entry to the same parts.
  interface TrialData {
    id: string;
    note?: string;
  }
  const complete: EventEntry<'trial.done', TrialData> = {
    name: 'trial.done',
    subscribable: true,
    fields: { id: { kind: 'string', required: true }, note: { kind: 'string' } },
    sample: { id: 'trial_1', note: 'n' },
    timesFromNow: {},
    describe: (data, brief) => ({ id: brief(data.id) }),
  };
  // @ts-expect-error no describe: listen would not know what to show
  const noDescribe: EventEntry<'trial.done', TrialData> = {
    name: 'trial.done',
    subscribable: true,
    fields: { id: { kind: 'string', required: true }, note: { kind: 'string' } },
    sample: { id: 'trial_1', note: 'n' },
    timesFromNow: {},
  };
  const fieldMissing: EventEntry<'trial.done', TrialData> = {
    ...complete,
    // @ts-expect-error the validator would not check `note`
    fields: { id: { kind: 'string', required: true } },
  };
  const sampleShort: EventEntry<'trial.done', TrialData> = {
    ...complete,
    // @ts-expect-error the sample must carry every documented field
    sample: { id: 'trial_1' },
  };

  it('every entry file in src/events/catalogue/ is in the list (an entry left out of it compiles)', async () => {
    const folder = fileURLToPath(new URL('../../../src/events/catalogue/', import.meta.url));
    const files = readdirSync(folder).filter((f) => f.endsWith('.ts') && f !== 'entry.ts' && f !== 'index.ts');
    const entries: unknown[] = [];
    for (const file of files) {
      const mod = (await import(join(folder, file))) as Record<string, unknown>;
      entries.push(...Object.values(mod).filter((v) => typeof v === 'object' && v !== null && 'describe' in v));
    }
    expect(files.length).toBe(EVENT_CATALOGUE.length);
    expect(new Set(entries)).toEqual(new Set(EVENT_CATALOGUE));
  });

  it('every entry has every part, and its describe reads a delivery without throwing', () => {
    expect([complete, noDescribe, fieldMissing, sampleShort].map((e) => e.name)).toEqual(Array(4).fill('trial.done'));
    for (const entry of EVENT_CATALOGUE) {
      expect(Object.keys(entry).sort()).toEqual(
        ['describe', 'fields', 'name', 'sample', 'subscribable', 'timesFromNow'].sort(),
      );
      expect(Object.keys(entry.sample).sort()).toEqual(Object.keys(entry.fields).sort());
      expect(() => entry.describe({}, () => undefined)).not.toThrow();
    }
  });
});
