// --data-dir: subscriptions (with their secrets), idempotency records and pending retries survive a restart;
// the state file is replaced atomically and readable only by its owner.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { STATE_FILE, StateFileError, startEmulator, type RunningEmulator } from '../../../src/emulator/index.js';
import { call, startReceiver, waitFor, respondWith } from './support.js';
import { referenceVerify, type ReferenceReceiver } from '../../helpers/reference-receiver.js';

let dataDir: string;
let running: RunningEmulator[] = [];
let rx: ReferenceReceiver | undefined;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'pictify-emulator-'));
});
afterEach(async () => {
  await Promise.all(running.map((e) => e.close()));
  running = [];
  await rx?.close();
  rx = undefined;
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(options: Parameters<typeof startEmulator>[0] = {}) {
  const emu = await startEmulator({ dataDir, ...options });
  running.push(emu);
  return emu;
}

it('keeps subscriptions and their secrets across a restart', async () => {
  rx = await startReceiver();
  const first = await start();
  const created = (
    await call(first.url, 'POST', '/webhook-subscriptions', { body: { event: 'render.completed', targetUrl: rx.url } })
  ).json.subscription;
  await first.close();

  const file = join(dataDir, STATE_FILE);
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(readdirSync(dataDir)).toEqual([STATE_FILE]);
  expect(JSON.parse(readFileSync(file, 'utf8')).subscriptions[0].uid).toBe(created.uid);

  const second = await start();
  const got = (await call(second.url, 'GET', `/webhook-subscriptions/${created.uid}`)).json.subscription;
  expect(got).toMatchObject({ uid: created.uid, event: 'render.completed', targetUrl: rx.url, status: 'active' });
  await call(second.url, 'POST', '/_emulator/events', { body: { event: 'render.completed' } });
  expect(referenceVerify(rx.received[0].body, rx.received[0].headers['x-pictify-signature'], created.secret)).toBe(
    true,
  );
});

it('replays an Idempotency-Key answered before the restart', async () => {
  const body = { event: 'render.completed', targetUrl: 'https://a.example/h' };
  const headers = { 'idempotency-key': 'restart-key' };
  const first = await start();
  const a = await call(first.url, 'POST', '/webhook-subscriptions', { body, headers });
  await first.close();
  const second = await start();
  const b = await call(second.url, 'POST', '/webhook-subscriptions', { body, headers });
  expect(b.status).toBe(201);
  expect(b.json.subscription.uid).toBe(a.json.subscription.uid);
  expect((await call(second.url, 'GET', '/webhook-subscriptions')).json.pagination.total).toBe(1);
});

it('a pending retry is kept with its due time and delivered after a restart', async () => {
  rx = await startReceiver(() => 500);
  // 0.02: the first retry is due 1.2 s after the failure — after the restart below.
  const first = await start({ retryScale: 0.02 });
  const sub = (
    await call(first.url, 'POST', '/webhook-subscriptions', { body: { event: 'binding.failed', targetUrl: rx.url } })
  ).json.subscription;
  const started = (await call(first.url, 'POST', '/_emulator/events', { body: { event: 'binding.failed' } })).json
    .deliveries[0];
  expect(started.status).toBe('retrying');
  await first.close();
  const saved = JSON.parse(readFileSync(join(dataDir, STATE_FILE), 'utf8'));
  expect(saved.deliveries[0]).toMatchObject({
    deliveryId: started.deliveryId,
    state: 'pending',
    attempts: 1,
    nextAttemptAt: Date.parse(started.nextRetryAt),
  });
  expect(rx.received).toHaveLength(1);

  rx.answer = respondWith(() => 200);
  const second = await start({ retryScale: 0.02 });
  expect((await call(second.url, 'GET', '/_emulator/deliveries')).json.pending).toMatchObject([
    { deliveryId: started.deliveryId, attempts: 1 },
  ]);
  await waitFor(() => rx!.received.length === 2, 'the retry after the restart');
  const retried = rx.received[1];
  expect(retried.at).toBeGreaterThanOrEqual(Date.parse(started.nextRetryAt) - 5);
  expect(retried.headers['x-pictify-delivery-id']).toBe(started.deliveryId);
  expect(retried.body.equals(rx.received[0].body)).toBe(true);
  expect(referenceVerify(retried.body, retried.headers['x-pictify-signature'], sub.secret)).toBe(true);
  const log = await waitFor(async () => {
    const l = (await call(second.url, 'GET', '/_emulator/deliveries')).json;
    return l.deliveries.length === 2 && l;
  }, 'the log line');
  expect(log.deliveries.map((d: { status: string; attempt: number }) => [d.attempt, d.status])).toEqual([
    [1, 'retrying'],
    [2, 'delivered'],
  ]);
});

it('a retry that fell due while the emulator was down is sent on start', async () => {
  rx = await startReceiver(() => 500);
  const first = await start({ retryScale: 0.005 });
  await call(first.url, 'POST', '/webhook-subscriptions', { body: { event: 'render.completed', targetUrl: rx.url } });
  await call(first.url, 'POST', '/_emulator/events', { body: { event: 'render.completed' } });
  await first.close();
  await new Promise((r) => setTimeout(r, 400));
  rx.answer = respondWith(() => 200);
  await start({ retryScale: 0.005 });
  await waitFor(() => rx!.received.length === 2, 'the overdue retry');
});

it('refuses a corrupt state file instead of starting empty', async () => {
  writeFileSync(join(dataDir, STATE_FILE), '{"version":1,"subscriptions":[');
  await expect(startEmulator({ dataDir })).rejects.toBeInstanceOf(StateFileError);
  writeFileSync(join(dataDir, STATE_FILE), '{"something":"else"}');
  await expect(startEmulator({ dataDir })).rejects.toThrow(/not an emulator state file/);
  expect(readFileSync(join(dataDir, STATE_FILE), 'utf8')).toBe('{"something":"else"}');
});

it('without --data-dir nothing is written and a restart starts empty', async () => {
  const first = await startEmulator();
  await call(first.url, 'POST', '/webhook-subscriptions', {
    body: { event: 'render.completed', targetUrl: 'https://a.example' },
  });
  await first.close();
  const second = await startEmulator();
  try {
    expect((await call(second.url, 'GET', '/webhook-subscriptions')).json.pagination.total).toBe(0);
  } finally {
    await second.close();
  }
});
