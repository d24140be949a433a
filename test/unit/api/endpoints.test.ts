import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { domainHint } from '../../../src/cli/domain-hints.js';
import { ApiError, CredentialsError, InputError } from '../../../src/errors.js';
import { MAX_PAGES } from '../../../src/api/index.js';
import { API, KEY, UA, UUID, caught, makeClient, record, seen, server, sub, useMsw } from '../../helpers/msw-api.js';
import { outcomeOf } from '../../../src/cli/exit-codes.js';

useMsw();

const COLLECTION = `${API}/webhook-subscriptions`;

describe('listSubscriptions', () => {
  it('sends filters as query parameters with auth, user agent and accept headers', async () => {
    server.use(
      http.get(COLLECTION, async ({ request }) => {
        await record(request);
        return HttpResponse.json({
          subscriptions: [sub()],
          pagination: { page: 2, limit: 5, total: 6, totalPages: 2, hasNext: false, hasPrev: true },
        });
      }),
    );
    const { client } = makeClient();
    const page = await client.listSubscriptions({
      event: 'render.completed',
      status: 'active',
      platform: 'zapier',
      page: 2,
      limit: 5,
    });

    expect(page.subscriptions).toEqual([sub()]);
    expect(page.pagination).toEqual({ page: 2, limit: 5, total: 6, totalPages: 2, hasNext: false, hasPrev: true });
    const [req] = seen;
    expect(req.method).toBe('GET');
    expect(req.url.pathname).toBe('/webhook-subscriptions');
    expect(Object.fromEntries(req.url.searchParams)).toEqual({
      event: 'render.completed',
      status: 'active',
      platform: 'zapier',
      page: '2',
      limit: '5',
    });
    expect(req.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(req.headers['user-agent']).toBe(UA);
    expect(req.headers.accept).toBe('application/json');
    expect(req.headers['content-type']).toBeUndefined();
    expect(req.headers['idempotency-key']).toBeUndefined();
    expect(req.body).toBeUndefined();
  });

  it('omits unset filters and tolerates a response without pagination', async () => {
    server.use(
      http.get(COLLECTION, async ({ request }) => {
        await record(request);
        return HttpResponse.json({ subscriptions: [sub(), sub({ uid: 'sub_456' })] });
      }),
    );
    const { client } = makeClient();
    const page = await client.listSubscriptions();
    expect(seen[0].url.search).toBe('');
    expect(page.subscriptions.map((s) => s.uid)).toEqual(['sub_123', 'sub_456']);
    expect(page.pagination).toEqual({ page: 1, limit: 2, total: 2, totalPages: 1, hasNext: false, hasPrev: false });
  });

  it('completes partial pagination from what was asked', async () => {
    server.use(
      http.get(COLLECTION, () => HttpResponse.json({ subscriptions: [sub()], pagination: { page: 1, total: 45 } })),
    );
    const { client } = makeClient();
    const { pagination } = await client.listSubscriptions({ limit: 20 });
    expect(pagination).toEqual({ page: 1, limit: 20, total: 45, totalPages: 3, hasNext: true, hasPrev: false });
  });

  it('joins a base URL with a trailing slash and a path prefix without doubling slashes', async () => {
    server.use(
      http.get(`${API}/proxy/pictify/webhook-subscriptions`, async ({ request }) => {
        await record(request);
        return HttpResponse.json({ subscriptions: [] });
      }),
    );
    const { client } = makeClient({ baseUrl: `${API}/proxy/pictify//` });
    await client.listSubscriptions({ limit: 1 });
    expect(seen[0].url.href).toBe(`${API}/proxy/pictify/webhook-subscriptions?limit=1`);
  });

  it('exposes the rate-limit headers of the last response', async () => {
    server.use(
      http.get(COLLECTION, () =>
        HttpResponse.json(
          { subscriptions: [] },
          { headers: { 'X-RateLimit-Limit': '100', 'X-RateLimit-Remaining': '97', 'X-RateLimit-Reset': '1767225600' } },
        ),
      ),
    );
    const { client } = makeClient();
    expect(client.lastRateLimit).toBeUndefined();
    await client.listSubscriptions();
    expect(client.lastRateLimit).toEqual({ limit: 100, remaining: 97, resetAt: 1767225600_000 });
  });
});

describe('listAllSubscriptions', () => {
  it('walks every page until hasNext is false, reporting each page', async () => {
    server.use(
      http.get(COLLECTION, async ({ request }) => {
        const { url } = await record(request);
        const page = Number(url.searchParams.get('page'));
        return HttpResponse.json({
          subscriptions: [sub({ uid: `sub_${page}a` }), sub({ uid: `sub_${page}b` })],
          pagination: { page, limit: 2, total: 6, totalPages: 3, hasNext: page < 3, hasPrev: page > 1 },
        });
      }),
    );
    const { client } = makeClient();
    const pages: string[][] = [];
    const all = await client.listAllSubscriptions({ event: 'render.failed', limit: 2 }, (subs) => {
      pages.push(subs.map((s) => s.uid));
    });
    expect(all.map((s) => s.uid)).toEqual(['sub_1a', 'sub_1b', 'sub_2a', 'sub_2b', 'sub_3a', 'sub_3b']);
    expect(pages).toEqual([
      ['sub_1a', 'sub_1b'],
      ['sub_2a', 'sub_2b'],
      ['sub_3a', 'sub_3b'],
    ]);
    expect(seen.map((r) => r.url.searchParams.get('page'))).toEqual(['1', '2', '3']);
    expect(seen.every((r) => r.url.searchParams.get('event') === 'render.failed')).toBe(true);
    expect(seen.every((r) => r.url.searchParams.get('limit') === '2')).toBe(true);
  });

  it('stops on an empty page even if the API claims there is more', async () => {
    server.use(
      http.get(COLLECTION, async ({ request }) => {
        const { url } = await record(request);
        const page = Number(url.searchParams.get('page'));
        const subscriptions = page === 1 ? [sub()] : [];
        return HttpResponse.json({ subscriptions, pagination: { page, limit: 1, hasNext: true } });
      }),
    );
    const { client } = makeClient();
    expect((await client.listAllSubscriptions()).map((s) => s.uid)).toEqual(['sub_123']);
    expect(seen).toHaveLength(2);
  });

  it('stops when the API ignores `page` and resends the same items', async () => {
    server.use(
      http.get(COLLECTION, async ({ request }) => {
        await record(request);
        return HttpResponse.json({ subscriptions: [sub()], pagination: { page: 1, limit: 1, hasNext: true } });
      }),
    );
    const { client } = makeClient();
    expect(await client.listAllSubscriptions()).toHaveLength(1);
    expect(seen).toHaveLength(2);
  });

  it(`gives up after ${MAX_PAGES} pages instead of looping forever`, async () => {
    let requests = 0;
    server.use(
      http.get(COLLECTION, ({ request }) => {
        requests++;
        const page = new URL(request.url).searchParams.get('page');
        return HttpResponse.json({ subscriptions: [sub({ uid: `sub_${page}` })], pagination: { hasNext: true } });
      }),
    );
    const { client } = makeClient();
    const err = await caught(client.listAllSubscriptions());
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe('pagination_runaway');
    expect(requests).toBe(MAX_PAGES);
  });
});

describe('createSubscription', () => {
  it('POSTs the JSON body with an Idempotency-Key and unwraps the 201 {subscription}', async () => {
    const created = sub({ secret: 'whsec_abc123' });
    server.use(
      http.post(COLLECTION, async ({ request }) => {
        await record(request);
        return HttpResponse.json({ subscription: created }, { status: 201 });
      }),
    );
    const { client } = makeClient();
    const result = await client.createSubscription({
      event: 'render.completed',
      targetUrl: 'https://example.com/hook',
      platform: 'zapier',
      filters: { templateId: 'tpl_1', type: 'image' },
    });
    expect(result).toEqual(created);
    expect(result.secret).toBe('whsec_abc123');
    const [req] = seen;
    expect(req.method).toBe('POST');
    expect(req.url.pathname).toBe('/webhook-subscriptions');
    expect(req.body).toEqual({
      event: 'render.completed',
      targetUrl: 'https://example.com/hook',
      platform: 'zapier',
      filters: { templateId: 'tpl_1', type: 'image' },
    });
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['idempotency-key']).toMatch(UUID);
    expect(req.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(req.headers['user-agent']).toBe(UA);
  });

  it('sends only the fields given and uses a fresh Idempotency-Key per call', async () => {
    server.use(
      http.post(COLLECTION, async ({ request }) => {
        await record(request);
        return HttpResponse.json({ subscription: sub() }, { status: 201 });
      }),
    );
    const { client } = makeClient();
    await client.createSubscription({ event: 'batch.failed', targetUrl: 'https://example.com/a' });
    await client.createSubscription({ event: 'batch.failed', targetUrl: 'https://example.com/a' });
    expect(seen[0].body).toEqual({ event: 'batch.failed', targetUrl: 'https://example.com/a' });
    expect(seen[0].headers['idempotency-key']).not.toBe(seen[1].headers['idempotency-key']);
  });

  it('uses the injected idempotency key generator', async () => {
    server.use(
      http.post(COLLECTION, async ({ request }) => {
        await record(request);
        return HttpResponse.json({ subscription: sub() }, { status: 201 });
      }),
    );
    const { client } = makeClient({ idempotencyKey: () => 'idem-fixed' });
    await client.createSubscription({ event: 'render.failed', targetUrl: 'https://example.com/a' });
    expect(seen[0].headers['idempotency-key']).toBe('idem-fixed');
  });
});

describe('getSubscription', () => {
  it('unwraps {subscription} and keeps lastDelivery', async () => {
    const body = sub({ lastDelivery: { id: 'del_1', statusCode: 200 } });
    server.use(
      http.get(`${COLLECTION}/sub_123`, async ({ request }) => {
        await record(request);
        return HttpResponse.json({ subscription: body });
      }),
    );
    const { client } = makeClient();
    expect(await client.getSubscription('sub_123')).toEqual(body);
    expect(seen[0].method).toBe('GET');
  });

  it('accepts an unwrapped subscription', async () => {
    server.use(http.get(`${COLLECTION}/sub_123`, () => HttpResponse.json(sub())));
    const { client } = makeClient();
    expect(await client.getSubscription('sub_123')).toEqual(sub());
  });

  it('encodes the uid as one path segment', async () => {
    server.use(
      http.get(`${COLLECTION}/:uid`, async ({ request, params }) => {
        await record(request);
        return HttpResponse.json({ subscription: sub({ uid: String(params.uid) }) });
      }),
    );
    const { client } = makeClient();
    await client.getSubscription('a/b c?d#e');
    expect(seen[0].url.pathname).toBe('/webhook-subscriptions/a%2Fb%20c%3Fd%23e');
    expect(seen[0].url.search).toBe('');
  });

  it.each(['..', '.', '', '  '])('refuses the dot-segment uid %j before any request', async (uid) => {
    const { client } = makeClient();
    const err = await caught(client.getSubscription(uid));
    expect(err).toBeInstanceOf(InputError);
    expect(seen).toHaveLength(0);
  });

  it('fails clearly on a body that is not a subscription', async () => {
    server.use(http.get(`${COLLECTION}/sub_123`, () => HttpResponse.json({ ok: true })));
    const { client } = makeClient();
    const err = await caught(client.getSubscription('sub_123'));
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe('invalid_response');
  });

  it('reports a 200 HTML page as a non-JSON response', async () => {
    server.use(
      http.get(`${COLLECTION}/sub_123`, () => HttpResponse.html('<html><head><title>Welcome</title></head></html>')),
    );
    const { client } = makeClient();
    const err = await caught(client.getSubscription('sub_123'));
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe('invalid_response');
    expect(err.message).toBe('API returned a non-JSON response (200 OK): Welcome');
  });
});

describe('updateSubscription', () => {
  it('PUTs only the given fields and unwraps the answer', async () => {
    server.use(
      http.put(`${COLLECTION}/sub_123`, async ({ request }) => {
        await record(request);
        return HttpResponse.json({ subscription: sub({ status: 'paused', targetUrl: 'https://new.example/h' }) });
      }),
    );
    const { client } = makeClient();
    const result = await client.updateSubscription('sub_123', {
      targetUrl: 'https://new.example/h',
      status: 'paused',
    });
    expect(result.status).toBe('paused');
    const [req] = seen;
    expect(req.method).toBe('PUT');
    expect(req.body).toEqual({ targetUrl: 'https://new.example/h', status: 'paused' });
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['idempotency-key']).toBeUndefined();
  });

  it('sends filters and refetches when the answer has no subscription (204)', async () => {
    server.use(
      http.put(`${COLLECTION}/sub_123`, async ({ request }) => {
        await record(request);
        return new HttpResponse(null, { status: 204 });
      }),
      http.get(`${COLLECTION}/sub_123`, async ({ request }) => {
        await record(request);
        return HttpResponse.json({ subscription: sub({ filters: { bindingId: 'b_1' } }) });
      }),
    );
    const { client } = makeClient();
    const result = await client.updateSubscription('sub_123', { filters: { bindingId: 'b_1' } });
    expect(seen.map((r) => r.method)).toEqual(['PUT', 'GET']);
    expect(seen[0].body).toEqual({ filters: { bindingId: 'b_1' } });
    expect(result.filters).toEqual({ bindingId: 'b_1' });
  });
});

describe('deleteSubscription', () => {
  it.each([
    ['200 {deleted:true}', () => HttpResponse.json({ deleted: true })],
    ['bare 200', () => new HttpResponse(null, { status: 200 })],
    ['204', () => new HttpResponse(null, { status: 204 })],
    ['200 with a plain-text body', () => HttpResponse.text('OK')],
  ])('accepts %s', async (_name, respond) => {
    server.use(
      http.delete(`${COLLECTION}/sub_123`, async ({ request }) => {
        await record(request);
        return respond();
      }),
    );
    const { client } = makeClient();
    expect(await client.deleteSubscription('sub_123')).toEqual({ uid: 'sub_123', deleted: true });
    expect(seen[0].method).toBe('DELETE');
    expect(seen[0].body).toBeUndefined();
  });

  it('treats {deleted:false} as a failure', async () => {
    server.use(http.delete(`${COLLECTION}/sub_123`, () => HttpResponse.json({ deleted: false })));
    const { client } = makeClient();
    expect(await caught(client.deleteSubscription('sub_123'))).toBeInstanceOf(ApiError);
  });
});

describe('pause and resume', () => {
  it.each([
    ['pauseSubscription', 'pause', 'paused'],
    ['resumeSubscription', 'resume', 'active'],
  ] as const)('%s POSTs …/%s with an Idempotency-Key', async (method, action, status) => {
    server.use(
      http.post(`${COLLECTION}/sub_123/${action}`, async ({ request }) => {
        await record(request);
        return HttpResponse.json({ subscription: sub({ status }) });
      }),
    );
    const { client } = makeClient();
    const result = await client[method]('sub_123');
    expect(result.status).toBe(status);
    expect(seen[0].method).toBe('POST');
    expect(seen[0].headers['idempotency-key']).toMatch(UUID);
    expect(seen[0].body).toBeUndefined();
  });

  it('refetches when the action answers without a subscription', async () => {
    server.use(
      http.post(`${COLLECTION}/sub_123/pause`, () => HttpResponse.json({ success: true })),
      http.get(`${COLLECTION}/sub_123`, () => HttpResponse.json({ subscription: sub({ status: 'paused' }) })),
    );
    const { client } = makeClient();
    expect((await client.pauseSubscription('sub_123')).status).toBe('paused');
  });

  it.each([403, 404, 405])('turns a %i on the action route into action_refused, not an auth error', async (status) => {
    server.use(
      http.post(`${COLLECTION}/sub_123/pause`, () =>
        HttpResponse.json({ error: 'API keys cannot pause subscriptions', code: 'forbidden' }, { status }),
      ),
    );
    const { client } = makeClient();
    const err = await caught(client.pauseSubscription('sub_123'));
    expect(err).toBeInstanceOf(ApiError);
    expect(err).not.toBeInstanceOf(CredentialsError);
    expect(err.code).toBe('action_refused');
    expect(err.status).toBe(status);
    expect(outcomeOf(err).code).toBe(1);
    expect(err.message).toContain('pause sub_123 was refused');
    expect(err.message).toContain('API keys cannot pause subscriptions');
    expect(domainHint(err)).toBe('use `pictify-hooks update sub_123 --status paused`');
  });

  it('hints --status active when resume is refused', async () => {
    server.use(http.post(`${COLLECTION}/sub_123/resume`, () => new HttpResponse(null, { status: 405 })));
    const { client } = makeClient();
    const err = await caught(client.resumeSubscription('sub_123'));
    expect(err.code).toBe('action_refused');
    expect(domainHint(err)).toBe('use `pictify-hooks update sub_123 --status active`');
  });

  it('still reports a 401 on the action route as an auth error', async () => {
    server.use(
      http.post(`${COLLECTION}/sub_123/pause`, () =>
        HttpResponse.json({ message: 'Invalid API key' }, { status: 401 }),
      ),
    );
    const { client } = makeClient();
    const err = await caught(client.pauseSubscription('sub_123'));
    expect(err).toBeInstanceOf(CredentialsError);
    expect(outcomeOf(err).code).toBe(4);
  });
});

describe('authentication', () => {
  it.each([undefined, ''])('throws CredentialsError for api key %j before any request', async (apiKey) => {
    let requests = 0;
    server.use(
      http.all(`${API}/*`, () => {
        requests++;
        return HttpResponse.json({ subscriptions: [] });
      }),
    );
    const { client } = makeClient({ apiKey });
    for (const call of [
      () => client.listSubscriptions(),
      () => client.createSubscription({ event: 'render.completed', targetUrl: 'https://e.x' }),
      () => client.deleteSubscription('sub_1'),
    ]) {
      const err = await caught(call());
      expect(err).toBeInstanceOf(CredentialsError);
      expect(err.message).toBe('no API key');
      expect(domainHint(err)).toBe('run `pictify-hooks login` or set PICTIFY_API_KEY');
    }
    expect(requests).toBe(0);
  });
});

describe('per-request AbortSignal', () => {
  it('rejects with the caller’s reason and sends nothing when already aborted', async () => {
    const { client } = makeClient();
    const reason = new Error('interrupted');
    const err = await caught(client.listSubscriptions({}, { signal: AbortSignal.abort(reason) }));
    expect(err).toBe(reason);
    expect(seen).toHaveLength(0);
  });

  it('aborts a request in flight', async () => {
    const controller = new AbortController();
    server.use(
      http.get(COLLECTION, async () => {
        controller.abort(new Error('stop'));
        await new Promise((r) => setTimeout(r, 50));
        return HttpResponse.json({ subscriptions: [] });
      }),
    );
    const { client, retries } = makeClient();
    const err = await caught(client.listSubscriptions({}, { signal: controller.signal }));
    expect(err.message).toBe('stop');
    expect(retries).toHaveLength(0);
  });
});
