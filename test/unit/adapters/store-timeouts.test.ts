// A Redis that does not answer must not hold a delivery past Pictify's 30 s: the claim, and bullmqEnqueue's add,
// give up after their timeout and the answer is a 5xx that Pictify retries. Real ioredis and BullMQ clients against
// a loopback server that accepts connections and never replies (a stuck Redis), and against a closed port (a Redis
// that is down: ioredis queues the commands while it reconnects, for ever with maxRetriesPerRequest: null).
import { createServer, type Server, type Socket } from 'node:net';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bullmqEnqueue } from '../../../src/adapters/bullmq.js';
import { TimedOutError, type ClaimResult } from '../../../src/adapters/claim.js';
import type { ErrorInfo, WebhookHandlerOptions } from '../../../src/adapters/core.js';
import { memoryDedupe } from '../../../src/adapters/stores/memory.js';
import { redisDedupe } from '../../../src/adapters/stores/redis.js';
import { unusedPort } from '../../helpers/ports.js';
import { postSignedDelivery } from '../../helpers/signed-delivery.js';
import { nodeApp, type RunningApp } from './servers.js';

const SECRET = 'whsec_store_timeouts';

let stuck: Server;
let stuckPort: number;
const sockets: Socket[] = [];
beforeAll(async () => {
  stuck = createServer((socket) => {
    sockets.push(socket);
    socket.resume(); // reads every command, answers none
  });
  await new Promise<void>((resolve) => stuck.listen(0, '127.0.0.1', resolve));
  stuckPort = (stuck.address() as { port: number }).port;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => stuck.close(resolve));
});

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function client(port: number): Redis {
  const redis = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: null, lazyConnect: false });
  redis.on('error', () => {}); // a refused connection is the point here
  cleanups.push(() => redis.disconnect());
  return redis;
}

async function app(options: Omit<WebhookHandlerOptions, 'secret'>): Promise<RunningApp & { errors: unknown[] }> {
  const errors: unknown[] = [];
  const running = await nodeApp({
    secret: SECRET,
    onError: (error: unknown, _info: ErrorInfo) => void errors.push(error),
    ...options,
  });
  cleanups.push(() => running.close());
  return { ...running, errors };
}

const deliver = (url: string, deliveryId: string) => postSignedDelivery(url, { secret: SECRET, deliveryId });

describe('redisDedupe against a Redis that does not answer', () => {
  it.each([
    ['stuck (accepts, never replies)', () => stuckPort],
    ['down (connection refused)', () => unusedPort()],
  ])('%s: 500 dedupe_failed after timeoutMs, the TimedOutError told to onError', async (_name, port) => {
    const redis = client(await port());
    const running = await app({ dedupe: redisDedupe(redis, { timeoutMs: 400 }), on: { '*': () => {} } });
    const answer = await deliver(running.url, 'del_stuck');
    expect(answer).toMatchObject({ status: 500, body: '{"error":"dedupe_failed"}' });
    expect(answer.ms).toBeGreaterThanOrEqual(390);
    expect(answer.ms).toBeLessThan(3_000);
    expect(running.errors).toHaveLength(1);
    expect(running.errors[0]).toBeInstanceOf(TimedOutError);
    expect((running.errors[0] as TimedOutError).message).toBe(
      "pictify-hooks: the dedupe store's claim did not finish within 400 ms",
    );
  });

  it('the default is 10 s: inside the 30 s Pictify waits', async () => {
    const redis = client(stuckPort);
    const running = await app({ dedupe: redisDedupe(redis), on: { '*': () => {} } });
    const answer = await deliver(running.url, 'del_default');
    expect(answer.status).toBe(500);
    expect(answer.ms).toBeGreaterThanOrEqual(9_900);
    expect(answer.ms).toBeLessThan(15_000);
  }, 25_000);
});

describe('bullmqEnqueue against a Redis that does not answer', () => {
  it("503 enqueue_failed after its timeoutMs, the claim released: the retry is taken again, not 'in flight'", async () => {
    const queue = new Queue('store-timeouts', { connection: client(stuckPort) });
    cleanups.push(() => queue.close().catch(() => undefined));
    const running = await app({ dedupe: memoryDedupe(), enqueue: bullmqEnqueue(queue, { timeoutMs: 400 }) });
    const first = await deliver(running.url, 'del_enqueue');
    expect(first).toMatchObject({ status: 503, body: '{"error":"enqueue_failed"}' });
    expect(first.ms).toBeGreaterThanOrEqual(390);
    expect(first.ms).toBeLessThan(3_000);
    expect((running.errors[0] as TimedOutError).message).toBe(
      "pictify-hooks: BullMQ's add did not finish within 400 ms",
    );
    // Released: Pictify's retry is tried again (and fails the same way), not answered 409 in_flight.
    expect((await deliver(running.url, 'del_enqueue')).status).toBe(503);
  });
});

describe('a store of your own', () => {
  it('is bounded too when it returns a thenable that is not a native Promise', async () => {
    // Like a Bluebird promise: a thenable that is not `instanceof Promise` (typed as one, as such libraries are).
    const never = { then: () => never } as unknown as Promise<ClaimResult>;
    const running = await app({
      dedupe: { claim: () => never, complete: () => {}, release: () => {}, timeoutMs: 300 },
      on: { '*': () => {} },
    });
    const answer = await deliver(running.url, 'del_thenable');
    expect(answer).toMatchObject({ status: 500, body: '{"error":"dedupe_failed"}' });
    expect(answer.ms).toBeLessThan(3_000);
    expect((running.errors[0] as TimedOutError).timeoutMs).toBe(300);
  });
});
