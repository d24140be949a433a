import { describe, expect, it } from 'vitest';
import { describeDelivery } from '../../../src/receiver/describe.js';
import type { EventRecord } from '../../../src/store/event-store-record.js';

function record(receivedAt: string): EventRecord {
  return {
    id: 'evt_1',
    receivedAt,
    method: 'POST',
    path: '/',
    remoteAddress: '127.0.0.1',
    headers: {},
    body: '{}',
    bodyEncoding: 'utf8',
    bodyBytes: 2,
    status: 200,
    verdict: { ok: true },
    event: 'render.completed',
    deliveryId: 'del_1',
    forward: null,
  };
}

const localClock = (iso: string) => {
  const d = new Date(iso);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
};

describe('describeDelivery', () => {
  it("shows each line's local time to the second, whatever order the lines come in", () => {
    const times = [
      '2026-12-01T10:00:00.001Z',
      '2026-12-01T10:00:00.999Z',
      '2026-12-01T10:00:01.000Z',
      '2026-12-01T10:00:00.500Z',
      '2026-12-02T10:00:00.500Z',
      '2026-12-01T23:59:59.999Z',
    ];
    for (const t of times) expect(describeDelivery(record(t), undefined).time).toBe(localClock(t));
  });
});
