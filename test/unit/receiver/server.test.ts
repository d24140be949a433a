import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { postDelivery } from '../../../src/outbound/post.js';
import { startReceiver, type ReceiverOptions, type RunningReceiver } from '../../../src/receiver/index.js';
import { assertSignature } from '../../../src/signing/index.js';
import { EventStore } from '../../../src/store/event-store.js';
import { readEventStore } from '../../../src/store/event-store-read.js';
import type { EventRecord } from '../../../src/store/event-store-record.js';
import { rawRequest, SECRET, signedSample, startApp, type AppServer } from './deliver.js';
import { subscriptionSource } from '../../../src/signing/secret-source.js';

const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);
let dir: string;
let storeFile: string;
let store: EventStore;
let receiver: RunningReceiver | undefined;
const apps: AppServer[] = [];
let delivered: EventRecord[];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'receiver-'));
  storeFile = join(dir, 'events.jsonl');
  store = await EventStore.open(storeFile);
  delivered = [];
});
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
  await store.close();
  await Promise.all(apps.splice(0).map((a) => a.close()));
  rmSync(dir, { recursive: true, force: true });
});

async function start(options: Partial<ReceiverOptions> = {}): Promise<RunningReceiver> {
  receiver = await startReceiver({
    port: 0,
    secrets: [{ secret: SECRET, source: subscriptionSource('wh_1') }],
    store,
    now: () => NOW,
    onDelivery: (r) => delivered.push(r),
    ...options,
  });
  return receiver;
}

async function app(answer: Parameters<typeof startApp>[0]): Promise<AppServer> {
  const a = await startApp(answer);
  apps.push(a);
  return a;
}

/** The same store, but every append waits 150 ms before it writes. */
function slowStore(real: EventStore): EventStore {
  return new Proxy(real, {
    get(target, key) {
      if (key === 'append') {
        return async (record: EventRecord) => {
          await new Promise((resolve) => setTimeout(resolve, 150));
          return target.append(record);
        };
      }
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

function storedLines(): EventRecord[] {
  return readFileSync(storeFile, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as EventRecord);
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

describe('receiver over HTTP: every row of the check order', () => {
  it('answers each failure with its status and a JSON reason, and stores every request', async () => {
    const r = await start({ path: '/webhooks/pictify', maxBodyBytes: 2048, strict: false });
    const url = r.url;
    const good = signedSample('render.completed', { nowMs: NOW });

    const cases: Array<
      [string, Promise<{ status?: number; body: string; headers?: Record<string, unknown> }>, number, string]
    > = [
      [
        'path',
        rawRequest(url.replace('/webhooks/pictify', '/other'), { headers: good.headers, body: good.body }),
        404,
        'path_not_found',
      ],
      ['method', rawRequest(url, { method: 'GET' }), 405, 'method_not_allowed'],
      [
        'type',
        rawRequest(url, { headers: { ...good.headers, 'content-type': 'text/plain' }, body: good.body }),
        415,
        'unsupported_media_type',
      ],
      [
        'size',
        rawRequest(url, { headers: { 'content-type': 'application/json' }, body: Buffer.alloc(4096, 0x20) }),
        413,
        'payload_too_large',
      ],
      [
        'header',
        rawRequest(url, { headers: { 'content-type': 'application/json' }, body: good.body }),
        400,
        'missing_header',
      ],
      [
        'malformed',
        rawRequest(url, { headers: { ...good.headers, 'x-pictify-signature': 'nonsense' }, body: good.body }),
        400,
        'malformed_header',
      ],
      [
        'stale',
        postDelivery(url, signedSample('render.completed', { nowMs: NOW, timestampOffsetS: -301 })),
        401,
        'timestamp_too_old',
      ],
      [
        'mismatch',
        postDelivery(url, signedSample('render.completed', { nowMs: NOW, secret: 'whsec_wrong' })),
        401,
        'signature_mismatch',
      ],
      [
        'json',
        postDelivery(url, signedSample('render.completed', { nowMs: NOW, body: 'not json' })),
        400,
        'invalid_json',
      ],
    ];
    for (const [name, pending, status, reason] of cases) {
      const res = await pending;
      expect({ name, status: res.status }).toEqual({ name, status });
      expect(JSON.parse(res.body)).toMatchObject({ error: reason });
    }
    const method = await rawRequest(url, { method: 'PUT', headers: good.headers, body: good.body });
    expect(method.headers?.allow).toBe('POST');

    const ok = await postDelivery(url, good);
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({ received: true });

    const reasons = storedLines().map((l) => l.verdict.reason ?? 'ok');
    expect(reasons).toEqual(expect.arrayContaining(cases.map((c) => c[3])));
    expect(reasons).toContain('ok');
    expect(r.stats).toMatchObject({ received: 11, verified: 1, rejected: 10, stored: 11 });
  });

  it('413 while streaming a body with no Content-Length, without keeping it', async () => {
    const r = await start({ maxBodyBytes: 64 * 1024 });
    const chunk = Buffer.alloc(16 * 1024, 0x20);
    const res = await rawRequest(r.url, {
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      body: Array.from({ length: 8 }, () => chunk),
    }).catch((error: NodeJS.ErrnoException) => ({ status: -1, body: error.code ?? '', headers: {} }));
    // The receiver answers 413 and drops the connection; a client still writing may see the reset instead.
    if (res.status !== -1) expect(res.status).toBe(413);
    else expect(res.body).toMatch(/ECONNRESET|EPIPE/);
    await r.close();
    const [line] = storedLines();
    expect(line.verdict.reason).toBe('payload_too_large');
    expect(line.bodyOmitted).toBe(true);
    expect(line.body).toBe('');
  });

  it('accepts a schema-breaking but verified payload with a warning; --strict answers 422', async () => {
    const body = JSON.stringify({
      event: 'render.completed',
      timestamp: '2026-11-26T12:00:00Z',
      data: { type: 'image' },
    });
    const r = await start();
    const lenient = await postDelivery(r.url, signedSample('render.completed', { nowMs: NOW, body }));
    expect(lenient.status).toBe(200);
    expect(delivered[0].verdict.warnings).toEqual([expect.stringContaining('data.url')]);
    await r.close();
    const strict = await start({ strict: true });
    const res = await postDelivery(strict.url, signedSample('render.completed', { nowMs: NOW, body }));
    expect(res.status).toBe(422);
    expect(JSON.parse(res.body).error).toBe('invalid_payload');
  });

  it('a tolerance of 0 means the default 300 s, never "off"', async () => {
    const r = await start({ toleranceSeconds: 0 });
    expect(
      (await postDelivery(r.url, signedSample('render.completed', { nowMs: NOW, timestampOffsetS: -299 }))).status,
    ).toBe(200);
    expect(
      (await postDelivery(r.url, signedSample('render.completed', { nowMs: NOW, timestampOffsetS: -3600 }))).status,
    ).toBe(401);
  });
});

describe('store before answer, dedupe, concurrency', () => {
  it('the event is in the file by the time the 200 arrives', async () => {
    // A store that takes its time: an answer sent before the append finished would arrive while the file is
    // still empty, so the read below would see no line.
    const r = await start({ store: slowStore(store) });
    const signed = signedSample('batch.completed', { nowMs: NOW, deliveryId: 'del_stored_first' });
    const res = await postDelivery(r.url, signed);
    expect(res.status).toBe(200);
    const lines = storedLines();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      deliveryId: 'del_stored_first',
      event: 'batch.completed',
      status: 200,
      verdict: { ok: true, matchedLabel: 'wh_1' },
    });
    expect(Buffer.from(lines[0].body).equals(signed.body)).toBe(true);
    expect(lines[0].headers['x-pictify-signature']).toBe(signed.headers['x-pictify-signature']);
    expect(JSON.stringify(lines[0])).not.toContain(SECRET);
  });

  it('receivedAt keeps the milliseconds of each delivery, also several within one second', async () => {
    let t = NOW;
    const r = await start({ now: () => t });
    const at = [NOW + 1, NOW + 2, NOW + 2, NOW + 999, NOW + 1000];
    for (const [i, ms] of at.entries()) {
      t = ms;
      const signed = signedSample('render.completed', { nowMs: NOW, deliveryId: `del_ms_${i}` });
      expect((await postDelivery(r.url, signed)).status).toBe(200);
    }
    const expected = at.map((ms) => new Date(ms).toISOString());
    expect(expected[0]).toBe('2026-11-26T12:00:00.001Z');
    expect(storedLines().map((l) => l.receivedAt)).toEqual(expected);
    expect(delivered.map((d) => d.receivedAt)).toEqual(expected);
  });

  it('a repeated delivery id is answered 200, marked duplicate and not forwarded again', async () => {
    const target = await app(() => ({ status: 200, body: '{"ok":true}' }));
    const r = await start({ forwardTo: target.url });
    const signed = signedSample('render.completed', { nowMs: NOW, deliveryId: 'del_twice' });
    const first = await postDelivery(r.url, signed);
    const second = await postDelivery(r.url, signed);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(JSON.parse(second.body)).toEqual({ received: true, duplicate: true });
    expect(target.requests).toHaveLength(1);
    expect(delivered.map((d) => d.verdict.duplicate ?? false)).toEqual([false, true]);
    expect(r.stats.duplicates).toBe(1);
  });

  it('a delivery the app did not take (502) reaches the app again when retried', async () => {
    const port = await closedPort();
    const r = await start({ forwardTo: `http://127.0.0.1:${port}/` });
    const signed = signedSample('render.completed', { nowMs: NOW, deliveryId: 'del_retry' });
    expect((await postDelivery(r.url, signed)).status).toBe(502);
    expect((await postDelivery(r.url, signed)).status).toBe(502); // not swallowed as a duplicate
    expect(delivered.every((d) => !d.verdict.duplicate)).toBe(true);
  });

  it('10 copies of one delivery at once: processed once, the other 9 wait and are answered as duplicates', async () => {
    const target = await app(() => ({ status: 202, body: '{"queued":true}', delayMs: 200 }));
    const r = await start({ forwardTo: target.url });
    const signed = signedSample('render.completed', { nowMs: NOW, deliveryId: 'del_burst' });
    const results = await Promise.all(Array.from({ length: 10 }, () => postDelivery(r.url, signed)));
    expect(target.requests).toHaveLength(1);
    // Every copy gets the status the first was answered with.
    expect(results.map((x) => x.status)).toEqual(Array(10).fill(202));
    expect(results.filter((x) => JSON.parse(x.body).duplicate === true)).toHaveLength(9);
    expect(storedLines().filter((l) => !l.verdict.duplicate)).toHaveLength(1);
    expect(r.stats.duplicates).toBe(9);
  });

  it('200 concurrent copies of 20 ids behind a 200 ms app: exactly 20 forwarded, 20 stored as new', async () => {
    const target = await app(() => ({ status: 200, body: '{"ok":true}', delayMs: 200 }));
    const r = await start({ forwardTo: target.url });
    const signed = Array.from({ length: 20 }, (_, i) =>
      signedSample('render.completed', { nowMs: NOW, deliveryId: `del_many${i}` }),
    );
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => postDelivery(r.url, signed[i % 20])));
    expect(results.every((x) => x.status === 200)).toBe(true);
    expect(target.requests).toHaveLength(20);
    expect(new Set(target.requests.map((q) => q.headers['x-pictify-delivery-id'])).size).toBe(20);
    const fresh = storedLines().filter((l) => !l.verdict.duplicate);
    expect(fresh.map((l) => l.deliveryId).sort()).toEqual(signed.map((x) => x.headers['x-pictify-delivery-id']).sort());
    expect(r.stats.duplicates).toBe(180);
  });

  it('when the first copy is not taken (app 502), a copy that waited for it tries again', async () => {
    let n = 0;
    const target = await app(() => (++n === 1 ? { status: 503, delayMs: 200 } : { status: 200, delayMs: 50 }));
    const r = await start({ forwardTo: target.url });
    const signed = signedSample('render.completed', { nowMs: NOW, deliveryId: 'del_flaky' });
    const results = await Promise.all(Array.from({ length: 3 }, () => postDelivery(r.url, signed)));
    expect(results.map((x) => x.status).sort()).toEqual([200, 200, 503]);
    // First: 503. Second (waited, then tried): 200. Third (waited for the second): duplicate of it.
    expect(target.requests).toHaveLength(2);
    expect(results.filter((x) => x.body.includes('"duplicate":true'))).toHaveLength(1);
  });

  it('a body that does not arrive in time is cut with 408 and the receiver keeps serving', async () => {
    const r = await start({ bodyTimeoutMs: 300 });
    const { connect } = await import('node:net');
    const socket = connect(r.port, '127.0.0.1');
    let answer = '';
    socket.on('data', (c) => (answer += c));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"ev');
    const started = Date.now();
    await closed;
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(answer).toMatch(/^HTTP\/1\.1 408 Request Timeout/);
    expect(answer).toContain('"error":"request_timeout"');
    expect(r.stats.timedOut).toBe(1);
    expect(r.inFlight).toBe(0);
    const ok = await postDelivery(r.url, signedSample('render.completed', { nowMs: NOW }));
    expect(ok.status).toBe(200);
  });

  it('200 concurrent deliveries are all answered and stored exactly once', async () => {
    const r = await start();
    const requests = Array.from({ length: 200 }, (_, i) =>
      signedSample('render.completed', { nowMs: NOW, deliveryId: `del_c${i}` }),
    );
    const results = await Promise.all(requests.map((req) => postDelivery(r.url, req)));
    expect(results.every((res) => res.status === 200)).toBe(true);
    const ids = storedLines().map((l) => l.deliveryId);
    expect(ids).toHaveLength(200);
    expect(new Set(ids).size).toBe(200);
  });

  it('close() lets an in-flight delivery finish, answers it and stores it', async () => {
    const slow = await app(() => ({ status: 200, body: '{}', delayMs: 300 }));
    const r = await start({ forwardTo: slow.url });
    const pending = postDelivery(r.url, signedSample('render.completed', { nowMs: NOW, deliveryId: 'del_inflight' }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(r.inFlight).toBe(1);
    await r.close();
    expect((await pending).status).toBe(200);
    expect(storedLines().map((l) => l.deliveryId)).toEqual(['del_inflight']);
  });

  it('works without a store (store: null), for in-process use', async () => {
    const r = await start({ store: null });
    expect((await postDelivery(r.url, signedSample('render.failed', { nowMs: NOW }))).status).toBe(200);
    expect(r.stats.stored).toBe(0);
    expect((await readEventStore(storeFile)).records).toHaveLength(0);
  });
});

describe('forwarding', () => {
  it('sends the raw body byte for byte with the original headers, so the app verifies it itself; relays its answer', async () => {
    const target = await app(({ headers, body }) => {
      try {
        assertSignature({ payload: body, header: headers['x-pictify-signature'], secrets: SECRET, now: NOW / 1000 });
        return { status: 201, body: '{"handled":"yes"}', contentType: 'application/json; charset=utf-8' };
      } catch (error) {
        return { status: 400, body: JSON.stringify({ app: (error as Error).message }) };
      }
    });
    const r = await start({ forwardTo: `${target.url}/hooks?src=listen` });
    // Odd spacing, key order and non-ASCII: anything re-serialized would fail the app's verification.
    const body =
      '{ "event":"render.completed",  "timestamp":"2026-11-26T12:00:00Z", "data":{"url":"https://x/ü.png","type":"image"} }\n';
    const signed = signedSample('render.completed', { nowMs: NOW, body, deliveryId: 'del_fwd' });
    const res = await postDelivery(r.url, signed);
    expect(res.status).toBe(201);
    expect(res.body).toBe('{"handled":"yes"}');
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    const [seen] = target.requests;
    expect(seen.url).toBe('/hooks?src=listen');
    expect(seen.body.equals(signed.body)).toBe(true);
    expect(seen.headers).toMatchObject({
      'content-type': 'application/json',
      'x-pictify-signature': signed.headers['x-pictify-signature'],
      'x-pictify-event': 'render.completed',
      'x-pictify-delivery-id': 'del_fwd',
    });
    expect(delivered[0].forward).toMatchObject({ url: `${target.url}/hooks?src=listen`, status: 201 });
  });

  it('relays the app’s failure status so the sender retries', async () => {
    const target = await app(() => ({ status: 500, body: '{"error":"boom"}' }));
    const r = await start({ forwardTo: target.url });
    const res = await postDelivery(r.url, signedSample('render.completed', { nowMs: NOW }));
    expect(res.status).toBe(500);
    expect(res.body).toBe('{"error":"boom"}');
  });

  it('502 when the app is unreachable, 504 when it is slower than the forward timeout', async () => {
    const port = await closedPort();
    const r1 = await start({ forwardTo: `http://127.0.0.1:${port}/` });
    const refused = await postDelivery(r1.url, signedSample('render.completed', { nowMs: NOW }));
    expect(refused.status).toBe(502);
    expect(JSON.parse(refused.body).error).toBe('forward_failed');
    expect(delivered[0].forward?.error).toMatch(/refused/);
    await r1.close();

    const slow = await app(() => ({ status: 200, delayMs: 2000 }));
    const r2 = await start({ forwardTo: slow.url, forwardTimeoutMs: 150 });
    const timedOut = await postDelivery(r2.url, signedSample('render.completed', { nowMs: NOW }));
    expect(timedOut.status).toBe(504);
    expect(JSON.parse(timedOut.body).error).toBe('forward_timeout');
  });

  it('routes by event glob, first match wins, --forward-to catches the rest; rejected deliveries are never forwarded', async () => {
    const renders = await app(() => ({ status: 200, body: '{"to":"renders"}' }));
    const failures = await app(() => ({ status: 200, body: '{"to":"failures"}' }));
    const rest = await app(() => ({ status: 200, body: '{"to":"rest"}' }));
    const r = await start({
      routes: [
        { pattern: 'render.failed', url: failures.url },
        { pattern: 'render.*', url: renders.url },
      ],
      forwardTo: rest.url,
    });
    const to = async (event: 'render.completed' | 'render.failed' | 'batch.completed') =>
      JSON.parse((await postDelivery(r.url, signedSample(event, { nowMs: NOW }))).body).to;
    expect(await to('render.completed')).toBe('renders');
    expect(await to('render.failed')).toBe('failures');
    expect(await to('batch.completed')).toBe('rest');
    await postDelivery(r.url, signedSample('render.completed', { nowMs: NOW, secret: 'whsec_wrong' }));
    expect(renders.requests).toHaveLength(1);
  });
});
