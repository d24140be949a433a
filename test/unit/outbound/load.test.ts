import { afterEach, describe, expect, it } from 'vitest';
import { composeEventTemplate } from '../../../src/outbound/compose.js';
import { runLoad, type LoadInput } from '../../../src/outbound/load.js';
import { parseExpect } from '../../../src/outbound/options.js';
import { startReferenceReceiver, type ReferenceReceiver } from '../../helpers/reference-receiver.js';

const SECRET = 'whsec_unit_load';
let receiver: ReferenceReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

function input(url: string, overrides: Partial<LoadInput> = {}): LoadInput {
  return {
    url: new URL(url),
    bodies: [composeEventTemplate('render.completed', { nowMs: Date.now() })],
    secret: SECRET,
    nowMs: () => Date.now(),
    count: 10,
    concurrency: 2,
    timeoutMs: 5000,
    expect: parseExpect('2xx'),
    ...overrides,
  };
}

describe('runLoad', () => {
  it('stops promptly on abort, without waiting for deliveries in flight or counting them', async () => {
    receiver = await startReferenceReceiver({ answer: 'hang' });
    const stop = new AbortController();
    // Abort once all four lanes are stuck at the receiver (bounded: at most ~5 s of polling).
    let polls = 0;
    const poll = setInterval(() => {
      if (receiver!.received.length === 4 || ++polls > 500) {
        clearInterval(poll);
        stop.abort();
      }
    }, 10);
    const started = Date.now();
    const result = await runLoad(
      input(receiver.url, { count: 1000, concurrency: 4, timeoutMs: 20_000, signal: stop.signal }),
    );
    expect(Date.now() - started).toBeLessThan(8000);
    expect(result).toMatchObject({ interrupted: true, sent: 0, ok: 0, errors: {} });
    expect(receiver.received.length).toBe(4);
  });

  it('keeps a user header that replaces ours, and the query string of the url', async () => {
    receiver = await startReferenceReceiver({ secret: SECRET, path: '/hook?tenant=a' });
    const result = await runLoad(input(receiver.url, { extraHeaders: { 'x-pictify-delivery-id': 'del_user' } }));
    expect(result.ok).toBe(10);
    expect(
      receiver.received.every(
        (d) => d.url === '/hook?tenant=a' && d.headers['x-pictify-delivery-id'] === 'del_user' && d.verified,
      ),
    ).toBe(true);
  });

  it('signs constant bodies per timestamp and counts statuses', async () => {
    receiver = await startReferenceReceiver({ secret: SECRET });
    let now = Date.now();
    const result = await runLoad(
      input(receiver.url, {
        bodies: [{ event: 'render.failed', bytes: Buffer.from('{"event":"render.failed"}') }],
        nowMs: () => (now += 1000),
        count: 6,
      }),
    );
    expect(result.statuses).toEqual({ '200': 6 });
    const signatures = new Set(receiver.received.map((d) => d.headers['x-pictify-signature']));
    expect(signatures.size).toBe(6); // a new t each time → a new signature
  });
});
