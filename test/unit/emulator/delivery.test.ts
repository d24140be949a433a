// Triggered events reach real receivers signed exactly as Pictify documents, only for matching subscriptions,
// and failures follow the (scaled) retry schedule until the subscription is paused.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_ATTEMPTS, RETRY_DELAYS_MS, startEmulator, type RunningEmulator } from '../../../src/emulator/index.js';
import { call, startReceiver, waitFor, respondWith } from './support.js';
import { referenceVerify, type ReferenceReceiver } from '../../helpers/reference-receiver.js';

let emu: RunningEmulator;
const receivers: ReferenceReceiver[] = [];
const receiver = async (respond?: (n: number) => number) => {
  const r = await startReceiver(respond);
  receivers.push(r);
  return r;
};

beforeEach(async () => {
  // 1e-5: 1 min → 0.6 ms … 24 h → 864 ms, so a full schedule runs in about a second.
  emu = await startEmulator({ retryScale: 0.00001 });
});
afterEach(async () => {
  await emu.close();
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function subscribe(event: string, targetUrl: string, filters?: Record<string, string>) {
  const r = await call(emu.url, 'POST', '/webhook-subscriptions', {
    body: { event, targetUrl, ...(filters && { filters }) },
  });
  expect(r.status).toBe(201);
  return r.json.subscription as { uid: string; secret: string };
}

const trigger = (body: Record<string, unknown>, query = '') =>
  call(emu.url, 'POST', `/_emulator/events${query}`, { body });

describe('delivery', () => {
  it('posts the raw JSON signed with the subscription secret, with event and delivery id headers', async () => {
    const rx = await receiver();
    const sub = await subscribe('render.completed', rx.url);
    const r = await trigger({ event: 'render.completed', set: ['data.templateId=tmpl_42', 'data.width=640'] });
    expect(r.status).toBe(202);
    expect(r.json.matched).toBe(1);
    const [started] = r.json.deliveries;
    expect(started).toMatchObject({
      subscription: sub.uid,
      targetUrl: rx.url,
      event: 'render.completed',
      attempt: 1,
      status: 'delivered',
      statusCode: 200,
    });
    expect(started.deliveryId).toMatch(/^del_[0-9a-f]{24}$/);

    expect(rx.received).toHaveLength(1);
    const got = rx.received[0];
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.headers['x-pictify-event']).toBe('render.completed');
    expect(got.headers['x-pictify-delivery-id']).toBe(started.deliveryId);
    expect(referenceVerify(got.body, got.headers['x-pictify-signature'], sub.secret)).toBe(true);
    expect(referenceVerify(got.body, got.headers['x-pictify-signature'], `${sub.secret}x`)).toBe(false);
    const payload = JSON.parse(got.body.toString('utf8'));
    expect(payload.event).toBe('render.completed');
    expect(payload.data).toMatchObject({
      templateId: 'tmpl_42',
      width: 640,
      deliveryId: started.deliveryId,
      type: 'image',
    });
    expect(Math.abs(Date.parse(payload.timestamp) - Date.now())).toBeLessThan(5_000);

    const after = await call(emu.url, 'GET', `/webhook-subscriptions/${sub.uid}`);
    expect(after.json.subscription).toMatchObject({
      deliveryCount: 1,
      failureCount: 0,
      lastDelivery: {
        deliveryId: started.deliveryId,
        event: 'render.completed',
        status: 'delivered',
        statusCode: 200,
        attempt: 1,
      },
    });
    expect(after.json.subscription.lastDeliveryAt).toBe(after.json.subscription.lastDelivery.attemptedAt);
  });

  it('merges data over the sample and applies set with JSON values', async () => {
    const rx = await receiver();
    await subscribe('batch.completed', rx.url);
    await trigger({
      event: 'batch.completed',
      data: { batchId: 'batch_9', extra: { a: 1 } },
      set: { 'data.failedCount': 7 },
    });
    const payload = JSON.parse(rx.received[0].body.toString());
    expect(payload.data).toMatchObject({ batchId: 'batch_9', extra: { a: 1 }, failedCount: 7, totalCount: 500 });
  });

  it('each subscription gets its own delivery id and its own signature', async () => {
    const a = await receiver();
    const b = await receiver();
    const subA = await subscribe('render.failed', a.url);
    const subB = await subscribe('render.failed', b.url);
    const r = await trigger({ event: 'render.failed' });
    expect(r.json.matched).toBe(2);
    expect(referenceVerify(a.received[0].body, a.received[0].headers['x-pictify-signature'], subA.secret)).toBe(true);
    expect(referenceVerify(b.received[0].body, b.received[0].headers['x-pictify-signature'], subB.secret)).toBe(true);
    expect(a.received[0].headers['x-pictify-delivery-id']).not.toBe(b.received[0].headers['x-pictify-delivery-id']);
  });

  it('routes only matching events: event name, templateId, bindingId, type, and status', async () => {
    const rx = await receiver();
    const t1 = await subscribe('render.completed', `${rx.url}/t1`, { templateId: 'tmpl_1' });
    const gif = await subscribe('render.completed', `${rx.url}/gif`, { type: 'gif' });
    const both = await subscribe('render.completed', `${rx.url}/both`, { templateId: 'tmpl_1', type: 'gif' });
    const batch = await subscribe('batch.completed', `${rx.url}/batch`, { templateId: 'tmpl_1' });
    const binding = await subscribe('binding.updated', `${rx.url}/binding`, { bindingId: 'bind_7' });
    const paused = await subscribe('render.completed', `${rx.url}/paused`);
    await call(emu.url, 'POST', `/webhook-subscriptions/${paused.uid}/pause`);

    const uids = async (body: Record<string, unknown>) =>
      ((await trigger(body)).json.deliveries as { subscription: string }[]).map((d) => d.subscription).sort();
    expect(await uids({ event: 'render.completed', set: ['data.templateId=tmpl_1', 'data.type=image'] })).toEqual([
      t1.uid,
    ]);
    expect(await uids({ event: 'render.completed', set: ['data.templateId=tmpl_1', 'data.type=gif'] })).toEqual(
      [t1.uid, gif.uid, both.uid].sort(),
    );
    expect(await uids({ event: 'render.completed', set: ['data.templateId=tmpl_2', 'data.type=pdf'] })).toEqual([]);
    // batch events name the template templateUid.
    expect(await uids({ event: 'batch.completed', set: ['data.templateUid=tmpl_1'] })).toEqual([batch.uid]);
    expect(await uids({ event: 'batch.completed', set: ['data.templateUid=tmpl_9'] })).toEqual([]);
    expect(await uids({ event: 'binding.updated', set: ['data.bindingId=bind_7'] })).toEqual([binding.uid]);
    expect(await uids({ event: 'binding.updated', set: ['data.bindingId=bind_8'] })).toEqual([]);
    expect(await uids({ event: 'render.failed' })).toEqual([]);

    const paths = rx.received.map((r) => r.url.replace('/hooks', ''));
    expect(paths.sort()).toEqual(['/batch', '/binding', '/both', '/gif', '/t1', '/t1']);
  });

  it('rejects unknown events and bad overrides with field errors', async () => {
    const bad = await trigger({ event: 'render.exploded' });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toBe('application/problem+json');
    expect(bad.json.errors[0].field).toBe('event');
    expect((await trigger({ event: 'render.completed', data: [1] })).json.errors[0].field).toBe('data');
    expect((await trigger({ event: 'render.completed', set: ['nonsense'] })).json.errors[0].field).toBe('set');
    expect((await trigger({ event: 'render.completed', set: ['data.__proto__.x=1'] })).status).toBe(400);
    expect((await call(emu.url, 'GET', '/_emulator/events')).status).toBe(405);
  });
});

describe('retries', () => {
  it('follows the scaled schedule and pauses the subscription after the last retry fails', async () => {
    const rx = await receiver(() => 500);
    const sub = await subscribe('render.completed', rx.url);
    const r = await trigger({ event: 'render.completed' });
    expect(r.json.deliveries[0]).toMatchObject({
      status: 'retrying',
      statusCode: 500,
      attempt: 1,
      nextRetryAt: expect.any(String),
    });

    const final = await waitFor(async () => {
      const s = (await call(emu.url, 'GET', `/webhook-subscriptions/${sub.uid}`)).json.subscription;
      return s.status === 'paused' && s;
    }, 'the subscription to be paused');
    expect(rx.received).toHaveLength(MAX_ATTEMPTS);
    expect(MAX_ATTEMPTS).toBe(6);
    expect(final).toMatchObject({
      deliveryCount: 6,
      failureCount: 6,
      lastDelivery: { status: 'failed', attempt: 6, statusCode: 500 },
    });

    // Same bytes and delivery id every time, each attempt freshly and validly signed.
    const ids = new Set(rx.received.map((x) => x.headers['x-pictify-delivery-id']));
    expect(ids.size).toBe(1);
    expect(new Set(rx.received.map((x) => x.body.toString())).size).toBe(1);
    for (const x of rx.received)
      expect(referenceVerify(x.body, x.headers['x-pictify-signature'], sub.secret)).toBe(true);

    // The gaps grow with the schedule: each is at least its scaled delay.
    const gaps = rx.received.slice(1).map((x, i) => x.at - rx.received[i].at);
    RETRY_DELAYS_MS.forEach((delay, i) => expect(gaps[i]).toBeGreaterThanOrEqual(Math.floor(delay * 0.00001) - 1));
    expect(gaps[4]).toBeGreaterThanOrEqual(800);

    const log = (await call(emu.url, 'GET', `/_emulator/deliveries?subscription=${sub.uid}`)).json;
    expect(log.deliveries.map((d: { status: string }) => d.status)).toEqual([
      'retrying',
      'retrying',
      'retrying',
      'retrying',
      'retrying',
      'failed',
    ]);
    expect(log.deliveries.map((d: { attempt: number }) => d.attempt)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(log.deliveries[0].responseBody).toBe('receiver said no (500)');
    expect(log.deliveries[5].nextRetryAt).toBeUndefined();
    expect(log.pending).toEqual([]);

    // A paused subscription gets nothing more until it is resumed.
    expect((await trigger({ event: 'render.completed' })).json.matched).toBe(0);
    await call(emu.url, 'PUT', `/webhook-subscriptions/${sub.uid}`, { body: { status: 'active' } });
    rx.answer = respondWith(() => 204);
    expect((await trigger({ event: 'render.completed' })).json.deliveries[0].status).toBe('delivered');
  });

  it('a retry that succeeds ends the delivery and keeps the subscription active', async () => {
    const rx = await receiver((n) => (n < 3 ? 503 : 200));
    const sub = await subscribe('render.completed', rx.url);
    await trigger({ event: 'render.completed' });
    await waitFor(() => rx.received.length === 3, 'three attempts');
    const log = await waitFor(async () => {
      const l = (await call(emu.url, 'GET', '/_emulator/deliveries')).json;
      return l.deliveries.length === 3 && l;
    }, 'three log lines');
    expect(log.deliveries.map((d: { status: string }) => d.status)).toEqual(['retrying', 'retrying', 'delivered']);
    const s = (await call(emu.url, 'GET', `/webhook-subscriptions/${sub.uid}`)).json.subscription;
    expect(s).toMatchObject({
      status: 'active',
      deliveryCount: 3,
      failureCount: 2,
      lastDelivery: { status: 'delivered', attempt: 3 },
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(rx.received).toHaveLength(3);
  });

  it('a refused connection counts as a failure with the reason logged', async () => {
    const rx = await receiver();
    const url = rx.url;
    await rx.close();
    await subscribe('render.completed', url);
    const r = await trigger({ event: 'render.completed' });
    expect(r.json.deliveries[0]).toMatchObject({ status: 'retrying', error: expect.stringMatching(/refused/) });
    expect(r.json.deliveries[0].statusCode).toBeUndefined();
  });

  it('pausing or deleting a subscription cancels its pending retries', async () => {
    const slow = await startEmulator({ retryScale: 0.005 });
    try {
      const rx = await receiver(() => 500);
      const created = await call(slow.url, 'POST', '/webhook-subscriptions', {
        body: { event: 'render.completed', targetUrl: rx.url },
      });
      const uid = created.json.subscription.uid;
      await call(slow.url, 'POST', '/_emulator/events', { body: { event: 'render.completed' } });
      expect((await call(slow.url, 'GET', '/_emulator/deliveries')).json.pending).toHaveLength(1);
      await call(slow.url, 'DELETE', `/webhook-subscriptions/${uid}`);
      const log = await waitFor(async () => {
        const l = (await call(slow.url, 'GET', '/_emulator/deliveries')).json;
        return l.deliveries.length === 2 && l;
      }, 'the cancelled retry');
      expect(log.deliveries[1]).toMatchObject({
        status: 'cancelled',
        attempt: 2,
        error: 'not sent: subscription was deleted',
      });
      expect(log.pending).toEqual([]);
      expect(rx.received).toHaveLength(1);
    } finally {
      await slow.close();
    }
  });

  it('a receiver that does not answer in time is a failure, and trigger does not wait past its limit', async () => {
    const rx = await receiver(() => 0);
    const quick = await startEmulator({ retryScale: 1, deliveryTimeoutMs: 300, triggerWaitMs: 100 });
    try {
      await call(quick.url, 'POST', '/webhook-subscriptions', {
        body: { event: 'render.completed', targetUrl: rx.url },
      });
      const r = await call(quick.url, 'POST', '/_emulator/events', { body: { event: 'render.completed' } });
      // Answered after 100 ms, before the 300 ms delivery timeout ended the attempt.
      expect(r.json.deliveries[0].status).toBe('pending');
      const log = await waitFor(async () => {
        const l = (await call(quick.url, 'GET', '/_emulator/deliveries')).json;
        return l.deliveries.length === 1 && l;
      }, 'the timed-out attempt');
      expect(log.deliveries[0]).toMatchObject({ status: 'retrying', error: expect.stringMatching(/within 300 ms/) });
      // Unscaled: the first retry is a minute after the failure.
      const due = Date.parse(log.deliveries[0].nextRetryAt) - Date.parse(log.deliveries[0].at);
      expect(due).toBeGreaterThanOrEqual(60_000);
      expect(due).toBeLessThan(62_000);
    } finally {
      await quick.close();
    }
  });

  it('trigger with wait=0 answers before the first attempt finishes', async () => {
    const rx = await receiver();
    await subscribe('render.completed', rx.url);
    const r = await trigger({ event: 'render.completed' }, '?wait=0');
    expect(r.status).toBe(202);
    expect(r.json.deliveries[0].status).toBe('pending');
    await waitFor(() => rx.received.length === 1, 'the delivery');
  });
});

describe('in-process trigger', () => {
  it('delivers like POST /_emulator/events and rejects bad input', async () => {
    const rx = await receiver();
    const sub = await subscribe('render.completed', rx.url, { templateId: 'tmpl_x' });
    const started = await emu.trigger({ event: 'render.completed', set: { 'data.templateId': 'tmpl_x' } });
    expect(started).toMatchObject([{ subscription: sub.uid, status: 'delivered', statusCode: 200 }]);
    expect(referenceVerify(rx.received[0].body, rx.received[0].headers['x-pictify-signature'], sub.secret)).toBe(true);
    await expect(emu.trigger({ event: 'render.nope' })).rejects.toMatchObject({ status: 400 });
  });
});

describe('control routes', () => {
  it('reset clears subscriptions, deliveries and timers', async () => {
    const rx = await receiver(() => 500);
    await subscribe('render.completed', rx.url);
    await trigger({ event: 'render.completed' });
    expect((await call(emu.url, 'POST', '/_emulator/reset')).json).toEqual({ reset: true });
    expect((await call(emu.url, 'GET', '/webhook-subscriptions')).json.pagination.total).toBe(0);
    expect((await call(emu.url, 'GET', '/_emulator/deliveries')).json).toEqual({
      deliveries: [],
      total: 0,
      pending: [],
    });
    const seen = rx.received.length;
    await new Promise((r) => setTimeout(r, 100));
    expect(rx.received.length).toBe(seen);
  });

  it('the delivery log filters by subscription and limits', async () => {
    const rx = await receiver();
    const a = await subscribe('render.completed', rx.url);
    const b = await subscribe('render.failed', rx.url);
    for (let i = 0; i < 3; i++) await trigger({ event: 'render.completed' });
    await trigger({ event: 'render.failed' });
    const all = (await call(emu.url, 'GET', '/_emulator/deliveries')).json;
    expect(all.total).toBe(4);
    const onlyB = (await call(emu.url, 'GET', `/_emulator/deliveries?subscription=${b.uid}`)).json;
    expect(onlyB.deliveries.map((d: { subscription: string }) => d.subscription)).toEqual([b.uid]);
    const last2 = (await call(emu.url, 'GET', `/_emulator/deliveries?subscription=${a.uid}&limit=2`)).json;
    expect(last2.deliveries).toHaveLength(2);
    expect(last2.total).toBe(3);
    expect((await call(emu.url, 'GET', '/_emulator/deliveries?limit=0')).status).toBe(400);
    expect((await call(emu.url, 'GET', '/_emulator/nothing')).status).toBe(404);
  });
});
