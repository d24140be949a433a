import { describe, expect, it } from 'vitest';
import {
  composeEventBody,
  composeEventTemplate,
  eventOfPayload,
  fillTemplate,
  parseDataOverride,
} from '../../../src/outbound/compose.js';
import { EVENT_NAMES } from '../../../src/events/index.js';
import { InputError } from '../../../src/errors.js';

const NOW = Date.UTC(2026, 0, 29, 10, 30);

describe('compose', () => {
  it('a filled template is byte-identical to the composed body for every event', () => {
    const overrides = { data: { extra: 1 }, sets: [{ path: 'data.note', raw: '"x"' }] };
    for (const event of EVENT_NAMES) {
      const template = composeEventTemplate(event, { nowMs: NOW, overrides });
      expect(template.tail).toBeDefined();
      expect(fillTemplate(template, 'del_abc')).toBe(
        composeEventBody(event, { deliveryId: 'del_abc', nowMs: NOW, overrides }),
      );
    }
  });

  it('a template keeps a deliveryId the user pinned with --set', () => {
    const template = composeEventTemplate('render.completed', {
      nowMs: NOW,
      overrides: { sets: [{ path: 'data.deliveryId', raw: 'del_mine' }] },
    });
    expect(template.tail).toBeUndefined();
    expect(JSON.parse(fillTemplate(template, 'del_other')).data.deliveryId).toBe('del_mine');
  });

  it('applies --data before --set and stamps the clock', () => {
    const body = JSON.parse(
      composeEventBody('batch.completed', {
        deliveryId: 'del_1',
        nowMs: NOW,
        overrides: { data: { batchId: 'batch_file', totalCount: 1 }, sets: [{ path: 'data.totalCount', raw: '3' }] },
      }),
    );
    expect(body).toMatchObject({
      event: 'batch.completed',
      timestamp: '2026-01-29T10:30:00Z',
      data: { batchId: 'batch_file', totalCount: 3, deliveryId: 'del_1' },
    });
  });

  it('parseDataOverride wants a JSON object', () => {
    expect(parseDataOverride(Buffer.from('{"a":1}'))).toEqual({ a: 1 });
    for (const bad of ['[1]', 'null', '"x"', '{oops'])
      expect(() => parseDataOverride(Buffer.from(bad))).toThrow(InputError);
  });

  it('eventOfPayload reads the event of JSON bodies only', () => {
    expect(eventOfPayload(Buffer.from('{"event":"render.failed"}'))).toBe('render.failed');
    expect(eventOfPayload(Buffer.from('not json'))).toBeUndefined();
    expect(eventOfPayload(Buffer.from('{"event":5}'))).toBeUndefined();
  });
});
