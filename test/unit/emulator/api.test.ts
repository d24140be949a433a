// The emulator speaks the documented /webhook-subscriptions API: shapes checked with the project's real REST
// client, error cases with raw fetch so status, content type and problem fields are seen as sent.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError, CredentialsError } from '../../../src/errors.js';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/index.js';
import { call, client, KEY } from './support.js';
import { MiB, offerBody } from '../../helpers/flood.js';

let emu: RunningEmulator;
const logs: string[] = [];
beforeEach(async () => {
  logs.length = 0;
  emu = await startEmulator({ log: (l) => logs.push(l) });
});
afterEach(() => emu.close());

const create = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  call(emu.url, 'POST', '/webhook-subscriptions', { body, headers });

describe('subscriptions through the REST client', () => {
  it('create returns the secret once; get and list never show it', async () => {
    const api = client(emu.url);
    const created = await api.createSubscription({
      event: 'render.completed',
      targetUrl: 'https://example.com/hooks',
      filters: { templateId: 'tmpl_1', type: 'gif' },
    });
    expect(created).toMatchObject({
      event: 'render.completed',
      targetUrl: 'https://example.com/hooks',
      platform: 'custom',
      status: 'active',
      filters: { templateId: 'tmpl_1', type: 'gif' },
      deliveryCount: 0,
      failureCount: 0,
      lastDeliveryAt: null,
    });
    expect(created.uid).toMatch(/^wh_[0-9a-f]{20}$/);
    expect(created.secret).toMatch(/^whsec_[0-9a-f]{64}$/);
    expect(Date.parse(created.createdAt!)).not.toBeNaN();

    const got = await api.getSubscription(created.uid);
    expect(got.uid).toBe(created.uid);
    expect(got).not.toHaveProperty('secret');
    const page = await api.listSubscriptions();
    expect(page.subscriptions.map((s) => s.uid)).toEqual([created.uid]);
    expect(JSON.stringify(page)).not.toContain(created.secret);
    expect(logs.join('\n')).not.toContain(created.secret);
    await api.close();
  });

  it('each create gets a different uid and secret', async () => {
    const a = await create({ event: 'render.failed', targetUrl: 'https://a.example' });
    const b = await create({ event: 'render.failed', targetUrl: 'https://a.example' });
    expect(a.status).toBe(201);
    expect(a.headers.get('location')).toBe(`/webhook-subscriptions/${a.json.subscription.uid}`);
    expect(a.json.subscription.uid).not.toBe(b.json.subscription.uid);
    expect(a.json.subscription.secret).not.toBe(b.json.subscription.secret);
  });

  it('update, pause, resume and delete', async () => {
    const api = client(emu.url);
    const { uid } = await api.createSubscription({
      event: 'binding.updated',
      targetUrl: 'https://a.example/x',
      platform: 'zapier',
    });
    const updated = await api.updateSubscription(uid, {
      targetUrl: 'https://b.example/y',
      filters: { bindingId: 'bind_1' },
      status: 'paused',
    });
    expect(updated).toMatchObject({
      uid,
      targetUrl: 'https://b.example/y',
      filters: { bindingId: 'bind_1' },
      status: 'paused',
      platform: 'zapier',
    });
    expect((await api.resumeSubscription(uid)).status).toBe('active');
    expect((await api.pauseSubscription(uid)).status).toBe('paused');
    expect((await api.getSubscription(uid)).status).toBe('paused');

    const raw = await call(emu.url, 'DELETE', `/webhook-subscriptions/${uid}`);
    expect(raw.status).toBe(200);
    expect(raw.json).toEqual({ deleted: true, uid });
    await expect(api.getSubscription(uid)).rejects.toMatchObject({ status: 404 });
    await expect(api.deleteSubscription(uid)).rejects.toBeInstanceOf(ApiError);
    await api.close();
  });

  it('lists with event/status/platform filters and pages', async () => {
    for (let i = 0; i < 25; i++) await create({ event: 'render.completed', targetUrl: `https://e.example/${i}` });
    await create({ event: 'batch.failed', targetUrl: 'https://e.example/b', platform: 'make' });
    const paused = await create({ event: 'batch.failed', targetUrl: 'https://e.example/c' });
    await call(emu.url, 'POST', `/webhook-subscriptions/${paused.json.subscription.uid}/pause`);

    const first = await call(emu.url, 'GET', '/webhook-subscriptions');
    expect(first.json.subscriptions).toHaveLength(20);
    expect(first.json.pagination).toEqual({
      page: 1,
      limit: 20,
      total: 27,
      totalPages: 2,
      hasNext: true,
      hasPrev: false,
    });
    const second = await call(emu.url, 'GET', '/webhook-subscriptions?page=2');
    expect(second.json.subscriptions).toHaveLength(7);
    expect(second.json.pagination).toMatchObject({ page: 2, hasNext: false, hasPrev: true });
    const small = await call(emu.url, 'GET', '/webhook-subscriptions?event=render.completed&limit=10&page=3');
    expect(small.json.subscriptions.map((s: { targetUrl: string }) => s.targetUrl)).toEqual(
      [20, 21, 22, 23, 24].map((i) => `https://e.example/${i}`),
    );
    expect(small.json.pagination).toEqual({
      page: 3,
      limit: 10,
      total: 25,
      totalPages: 3,
      hasNext: false,
      hasPrev: true,
    });
    const clamp = await call(emu.url, 'GET', '/webhook-subscriptions?limit=500');
    expect(clamp.json.pagination.limit).toBe(100);

    const byStatus = await call(emu.url, 'GET', '/webhook-subscriptions?status=paused');
    expect(byStatus.json.subscriptions.map((s: { uid: string }) => s.uid)).toEqual([paused.json.subscription.uid]);
    const byPlatform = await call(emu.url, 'GET', '/webhook-subscriptions?platform=make&event=batch.failed');
    expect(byPlatform.json.subscriptions).toHaveLength(1);
    expect(byPlatform.json.subscriptions[0].platform).toBe('make');

    const api = client(emu.url);
    expect(await api.listAllSubscriptions({ event: 'render.completed', limit: 7 })).toHaveLength(25);
    await api.close();
  });
});

describe('errors are problem+json', () => {
  const expectProblem = (r: Awaited<ReturnType<typeof call>>, status: number) => {
    expect(r.status).toBe(status);
    expect(r.headers.get('content-type')).toBe('application/problem+json');
    expect(r.json).toMatchObject({
      status,
      type: expect.any(String),
      title: expect.any(String),
      detail: expect.any(String),
      instance: expect.any(String),
    });
  };

  it.each([
    [{ event: 'render.exploded', targetUrl: 'https://a.example' }, 'event', 'invalid_enum'],
    [{ targetUrl: 'https://a.example' }, 'event', 'required'],
    [{ event: 'render.completed', targetUrl: 'not a url' }, 'targetUrl', 'invalid_url'],
    [{ event: 'render.completed', targetUrl: 'ftp://a.example' }, 'targetUrl', 'invalid_url'],
    [{ event: 'render.completed' }, 'targetUrl', 'required'],
    [{ event: 'render.completed', targetUrl: 'https://a.example', platform: 'ifttt' }, 'platform', 'invalid_enum'],
    [
      { event: 'render.completed', targetUrl: 'https://a.example', filters: { type: 'svg' } },
      'filters.type',
      'invalid_enum',
    ],
    [
      { event: 'render.completed', targetUrl: 'https://a.example', filters: { colour: 'red' } },
      'filters.colour',
      'unknown_field',
    ],
    [{ event: 'render.completed', targetUrl: 'https://a.example', filters: 'gif' }, 'filters', 'invalid_type'],
  ])('create %j → 400 on %s', async (body, field, code) => {
    const r = await create(body);
    expectProblem(r, 400);
    expect(r.json.errors).toContainEqual({ field, message: expect.any(String), code });
    expect((await call(emu.url, 'GET', '/webhook-subscriptions')).json.pagination.total).toBe(0);
  });

  it('reports every bad field at once, and the REST client surfaces them', async () => {
    const r = await create({ event: 'nope', targetUrl: 'nope', platform: 'nope' });
    expect(r.json.errors.map((e: { field: string }) => e.field)).toEqual(['event', 'targetUrl', 'platform']);
    const api = client(emu.url);
    const error = await api
      .createSubscription({ event: 'nope', targetUrl: 'https://a.example' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(400);
    expect((error as ApiError).fieldErrors).toContainEqual(expect.objectContaining({ field: 'event' }));
    await api.close();
  });

  it('bad JSON and non-object bodies → 400', async () => {
    expectProblem(await call(emu.url, 'POST', '/webhook-subscriptions', { rawBody: '{"event":' }), 400);
    const arr = await call(emu.url, 'POST', '/webhook-subscriptions', { rawBody: '[1]' });
    expectProblem(arr, 400);
    expect(arr.json.code).toBe('invalid_json');
  });

  it('update validation: status, filters, url, immutable event, empty body', async () => {
    const { uid } = (await create({ event: 'render.completed', targetUrl: 'https://a.example' })).json.subscription;
    const cases: [unknown, string][] = [
      [{ status: 'failed' }, 'status'],
      [{ status: 'deleted' }, 'status'],
      [{ filters: { type: 'bmp' } }, 'filters.type'],
      [{ targetUrl: 'mailto:x@y' }, 'targetUrl'],
      [{ event: 'render.failed' }, 'event'],
      [{}, 'body'],
    ];
    for (const [body, field] of cases) {
      const r = await call(emu.url, 'PUT', `/webhook-subscriptions/${uid}`, { body });
      expectProblem(r, 400);
      expect(r.json.errors[0].field).toBe(field);
    }
    const filterless = await call(emu.url, 'PUT', `/webhook-subscriptions/${uid}`, { body: { filters: null } });
    expect(filterless.json.subscription.filters).toEqual({});
  });

  it('bad list query → 400', async () => {
    expectProblem(await call(emu.url, 'GET', '/webhook-subscriptions?status=sleeping'), 400);
    expectProblem(await call(emu.url, 'GET', '/webhook-subscriptions?page=0'), 400);
    expectProblem(await call(emu.url, 'GET', '/webhook-subscriptions?limit=abc'), 400);
    expectProblem(await call(emu.url, 'GET', '/webhook-subscriptions?event=render.nope'), 400);
  });

  it('unknown uid, unknown route → 404; wrong method → 405 with Allow', async () => {
    for (const [method, path] of [
      ['GET', '/webhook-subscriptions/wh_missing'],
      ['PUT', '/webhook-subscriptions/wh_missing'],
      ['DELETE', '/webhook-subscriptions/wh_missing'],
      ['POST', '/webhook-subscriptions/wh_missing/pause'],
      ['GET', '/nothing-here'],
      ['GET', '/webhook-subscriptions/wh_1/explode'],
    ] as const) {
      const r = await call(emu.url, method, path, method === 'PUT' ? { body: { status: 'active' } } : {});
      expectProblem(r, 404);
    }
    const patch = await call(emu.url, 'PATCH', '/webhook-subscriptions/wh_1', { body: {} });
    expectProblem(patch, 405);
    expect(patch.headers.get('allow')).toBe('GET, PUT, DELETE');
    const del = await call(emu.url, 'DELETE', '/webhook-subscriptions');
    expectProblem(del, 405);
    expect(del.headers.get('allow')).toBe('GET, POST');
    expectProblem(await call(emu.url, 'GET', '/webhook-subscriptions/wh_1/pause'), 405);
  });

  it('401 without a Bearer key; the REST client turns it into an CredentialsError', async () => {
    const r = await call(emu.url, 'GET', '/webhook-subscriptions', { key: null });
    expectProblem(r, 401);
    expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expectProblem(
      await call(emu.url, 'GET', '/webhook-subscriptions', { key: null, headers: { authorization: 'Basic abc' } }),
      401,
    );
    const api = client(emu.url, 'any-key-works');
    await expect(api.listSubscriptions()).resolves.toMatchObject({ subscriptions: [] });
    await api.close();
  });
});

describe('pinned API key', () => {
  it('accepts only that key', async () => {
    const pinned = await startEmulator({ apiKey: 'pk_pinned_secret_key' });
    try {
      const wrong = await call(pinned.url, 'GET', '/webhook-subscriptions', { key: KEY });
      expect(wrong.status).toBe(401);
      expect(wrong.text).not.toContain('pk_pinned_secret_key');
      expect((await call(pinned.url, 'GET', '/webhook-subscriptions', { key: 'pk_pinned_secret_key' })).status).toBe(
        200,
      );
      expect((await call(pinned.url, 'GET', '/_emulator/deliveries', { key: null })).status).toBe(401);
      expect((await call(pinned.url, 'GET', '/_emulator/health', { key: null })).status).toBe(200);
      await expect(client(pinned.url, 'pk_other').listSubscriptions()).rejects.toBeInstanceOf(CredentialsError);
    } finally {
      await pinned.close();
    }
  });
});

describe('Idempotency-Key', () => {
  it('the same key and body replay the same 201 instead of creating a second subscription', async () => {
    const body = { event: 'render.completed', targetUrl: 'https://a.example/hook' };
    const first = await create(body, { 'idempotency-key': 'idem-1' });
    const again = await create(body, { 'idempotency-key': 'idem-1' });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.text).toBe(first.text);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((await call(emu.url, 'GET', '/webhook-subscriptions')).json.pagination.total).toBe(1);

    const other = await create({ ...body, targetUrl: 'https://b.example/hook' }, { 'idempotency-key': 'idem-1' });
    expect(other.status).toBe(422);
    expect(other.headers.get('content-type')).toBe('application/problem+json');
    expect(other.json.code).toBe('idempotency_key_reused');

    const fresh = await create(body, { 'idempotency-key': 'idem-2' });
    expect(fresh.json.subscription.uid).not.toBe(first.json.subscription.uid);
    expect((await call(emu.url, 'GET', '/webhook-subscriptions')).json.pagination.total).toBe(2);
  });

  it('concurrent requests with one key still create one subscription', async () => {
    const body = { event: 'render.completed', targetUrl: 'https://a.example/hook' };
    const answers = await Promise.all([1, 2, 3, 4].map(() => create(body, { 'idempotency-key': 'same' })));
    expect(new Set(answers.map((a) => a.json.subscription.uid)).size).toBe(1);
    expect((await call(emu.url, 'GET', '/webhook-subscriptions')).json.pagination.total).toBe(1);
  });

  it('keys are per API key, and failed requests are not remembered', async () => {
    const body = { event: 'render.completed', targetUrl: 'https://a.example/hook' };
    const a = await call(emu.url, 'POST', '/webhook-subscriptions', {
      body,
      key: 'key-a',
      headers: { 'idempotency-key': 'k' },
    });
    const b = await call(emu.url, 'POST', '/webhook-subscriptions', {
      body,
      key: 'key-b',
      headers: { 'idempotency-key': 'k' },
    });
    expect(a.json.subscription.uid).not.toBe(b.json.subscription.uid);
    const bad = await create({ event: 'nope', targetUrl: 'https://a.example' }, { 'idempotency-key': 'k2' });
    expect(bad.status).toBe(400);
    expect((await create(body, { 'idempotency-key': 'k2' })).status).toBe(201);
  });
});

it('logs one line per request without secrets or keys', async () => {
  const r = await create({ event: 'render.completed', targetUrl: 'https://a.example/hook' });
  await call(emu.url, 'GET', '/webhook-subscriptions?status=active');
  await waitForLogs(2);
  expect(logs[0]).toMatch(/^POST \/webhook-subscriptions 201 \d+ms$/);
  expect(logs[1]).toMatch(/^GET \/webhook-subscriptions\?status=active 200 \d+ms$/);
  expect(logs.join('\n')).not.toContain(r.json.subscription.secret);
  expect(logs.join('\n')).not.toContain(KEY);
});

async function waitForLogs(n: number): Promise<void> {
  for (let i = 0; i < 100 && logs.length < n; i++) await new Promise((r) => setTimeout(r, 5));
}

describe('a request body over 1 MiB', () => {
  for (const [how, framing] of [
    ['announced by Content-Length', {}],
    ['chunked', { chunked: true }],
  ] as const) {
    it(`${how}: 413 problem, read no further, and the connection ends after it`, async () => {
      const offered = await offerBody(`${emu.url}/webhook-subscriptions`, {
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        total: 64 * MiB,
        ...framing,
      });
      expect(offered.status, offered.answer.slice(0, 300)).toBe(413);
      expect(offered.accepted).toBeLessThan(16 * MiB);
      expect(offered.closed).toBe(true);
      expect(offered.answer).toMatch(/\r\nconnection: close\r\n/i);
      expect(offered.answer).toContain('request body is larger than 1048576 bytes');
      // The emulator itself is fine: the next request (on a new connection) is answered.
      expect((await call(emu.url, 'GET', '/webhook-subscriptions')).status).toBe(200);
    });
  }
});
