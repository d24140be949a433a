import { http, HttpResponse, delay } from 'msw';
import { describe, expect, it } from 'vitest';
import { domainHint } from '../../../src/cli/domain-hints.js';
import { ApiError, CredentialsError } from '../../../src/errors.js';
import { API, UUID, caught, makeClient, record, seen, server, sub, useMsw } from '../../helpers/msw-api.js';

useMsw();

const COLLECTION = `${API}/webhook-subscriptions`;
const ITEM = `${COLLECTION}/sub_123`;

/** A handler that answers with the given responses in order, then repeats the last one. */
function sequence(...responses: Array<() => Response>) {
  let i = 0;
  return async ({ request }: { request: Request }) => {
    await record(request);
    const respond = responses[Math.min(i, responses.length - 1)];
    i++;
    return respond();
  };
}

const ok = () => HttpResponse.json({ subscription: sub() });
const status =
  (code: number, headers: Record<string, string> = {}, body: unknown = { message: 'slow down' }) =>
  () =>
    HttpResponse.json(body as object, { status: code, headers });

describe('retries', () => {
  it('429 with Retry-After (seconds) then 200: waits what the server asked', async () => {
    server.use(http.get(ITEM, sequence(status(429, { 'Retry-After': '3' }), ok)));
    const { client, sleeps, retries } = makeClient();
    expect(await client.getSubscription('sub_123')).toEqual(sub());
    expect(seen).toHaveLength(2);
    expect(sleeps).toEqual([3000]);
    expect(retries).toEqual([{ attempt: 2, delayMs: 3000, reason: 'HTTP 429 Too Many Requests' }]);
  });

  it('503 twice then 200: exponential backoff with full jitter', async () => {
    server.use(http.get(ITEM, sequence(status(503), status(503), ok)));
    const { client, sleeps, retries } = makeClient(); // random() = 0.5
    await client.getSubscription('sub_123');
    expect(seen).toHaveLength(3);
    expect(sleeps).toEqual([250, 500]); // 0.5 × 500·2^0, 0.5 × 500·2^1
    expect(retries.map((r) => r.attempt)).toEqual([2, 3]);
    expect(retries[0].reason).toBe('HTTP 503 Service Unavailable');
  });

  it('jitter spans the whole window: random() = 0 retries at once', async () => {
    server.use(http.get(ITEM, sequence(status(502), status(504), ok)));
    const { client, sleeps } = makeClient({ random: () => 0 });
    await client.getSubscription('sub_123');
    expect(sleeps).toEqual([0, 0]);
  });

  it('Retry-After as an HTTP date', async () => {
    const now = Date.parse('2025-06-01T12:00:00.000Z');
    server.use(http.get(ITEM, sequence(status(503, { 'Retry-After': 'Sun, 01 Jun 2025 12:00:07 GMT' }), ok)));
    const { client, sleeps } = makeClient({ now: () => now });
    await client.getSubscription('sub_123');
    expect(sleeps).toEqual([7000]);
  });

  it('a Retry-After date in the past means no wait', async () => {
    server.use(http.get(ITEM, sequence(status(429, { 'Retry-After': 'Wed, 21 Oct 2015 07:28:00 GMT' }), ok)));
    const { client, sleeps } = makeClient();
    await client.getSubscription('sub_123');
    expect(sleeps).toEqual([0]);
  });

  it.each([
    ['retryAfter', { message: 'rate limited', retryAfter: 4 }, 4000],
    ['retry_after', { error: 'rate limited', retry_after: '2.5' }, 2500],
  ])('body %s (seconds) when there is no header', async (_name, body, expected) => {
    server.use(http.get(ITEM, sequence(status(429, {}, body), ok)));
    const { client, sleeps } = makeClient();
    await client.getSubscription('sub_123');
    expect(sleeps).toEqual([expected]);
  });

  it('the header wins over the body', async () => {
    server.use(http.get(ITEM, sequence(status(429, { 'Retry-After': '1' }, { retryAfter: 9 }), ok)));
    const { client, sleeps } = makeClient();
    await client.getSubscription('sub_123');
    expect(sleeps).toEqual([1000]);
  });

  it('a 429 without Retry-After waits for X-RateLimit-Reset', async () => {
    const now = 1_750_000_000_000;
    server.use(
      http.get(ITEM, sequence(status(429, { 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': '1750000006' }), ok)),
    );
    const { client, sleeps } = makeClient({ now: () => now });
    await client.getSubscription('sub_123');
    expect(sleeps).toEqual([6000]);
  });

  it('caps every wait at maxRetryWait and still retries', async () => {
    server.use(
      http.get(ITEM, sequence(status(429, { 'Retry-After': '120' }), status(503, { 'Retry-After': '3600' }), ok)),
    );
    const { client, sleeps } = makeClient({ maxRetryWait: 5_000 });
    await client.getSubscription('sub_123');
    expect(sleeps).toEqual([5_000, 5_000]);
  });

  it('caps backoff too (default cap 30 s)', async () => {
    server.use(http.get(ITEM, sequence(status(503), status(503), status(503), ok)));
    const { client, sleeps } = makeClient({ random: () => 0.999, maxRetryWait: 600 });
    await client.getSubscription('sub_123');
    expect(sleeps).toEqual([499, 600, 600]);
  });

  it('retries POST with the SAME Idempotency-Key on every attempt', async () => {
    server.use(
      http.post(
        COLLECTION,
        sequence(status(503), status(502), () =>
          HttpResponse.json({ subscription: sub({ secret: 'whsec_x' }) }, { status: 201 }),
        ),
      ),
    );
    const { client } = makeClient();
    const created = await client.createSubscription({ event: 'render.completed', targetUrl: 'https://e.x/h' });
    expect(created.secret).toBe('whsec_x');
    const keys = seen.map((r) => r.headers['idempotency-key']);
    expect(keys).toHaveLength(3);
    expect(keys[0]).toMatch(UUID);
    expect(new Set(keys).size).toBe(1);
    expect(seen.every((r) => JSON.stringify(r.body) === JSON.stringify(seen[0].body))).toBe(true);
  });

  it('pause keeps its Idempotency-Key across a network error', async () => {
    server.use(
      http.post(
        `${ITEM}/pause`,
        sequence(
          () => HttpResponse.error(),
          () => HttpResponse.json(sub({ status: 'paused' })),
        ),
      ),
    );
    const { client } = makeClient();
    await client.pauseSubscription('sub_123');
    expect(seen).toHaveLength(2);
    expect(seen[0].headers['idempotency-key']).toBe(seen[1].headers['idempotency-key']);
  });

  it('gives up after 4 attempts in total', async () => {
    server.use(http.put(ITEM, sequence(status(503))));
    const { client, sleeps, retries } = makeClient();
    const err = await caught(client.updateSubscription('sub_123', { status: 'paused' }));
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(503);
    expect(err.message).toContain('gave up after 4 attempts');
    expect(seen).toHaveLength(4);
    expect(sleeps).toHaveLength(3);
    expect(retries.map((r) => r.attempt)).toEqual([2, 3, 4]);
  });

  it('honours a smaller maxAttempts', async () => {
    server.use(http.get(ITEM, sequence(status(503))));
    const { client } = makeClient({ maxAttempts: 2 });
    await caught(client.getSubscription('sub_123'));
    expect(seen).toHaveLength(2);
  });

  it.each([400, 401, 403, 404, 409, 422, 500])('does not retry a %i', async (code) => {
    server.use(http.get(ITEM, sequence(status(code, { 'Retry-After': '1' }))));
    const { client, sleeps } = makeClient();
    const err = await caught(client.getSubscription('sub_123'));
    expect(err).toBeInstanceOf(code === 401 || code === 403 ? CredentialsError : ApiError);
    expect(seen).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('does not retry a 422 on POST either', async () => {
    server.use(http.post(COLLECTION, sequence(status(422, {}, { message: 'Invalid', errors: { event: 'unknown' } }))));
    const { client } = makeClient();
    const err = await caught(client.createSubscription({ event: 'nope', targetUrl: 'https://e.x' }));
    expect(err.fieldErrors).toEqual([{ field: 'event', message: 'unknown' }]);
    expect(seen).toHaveLength(1);
  });
});

describe('network failures', () => {
  it('retries a network error, then succeeds', async () => {
    server.use(
      http.get(
        ITEM,
        sequence(() => HttpResponse.error(), ok),
      ),
    );
    const { client, sleeps, retries } = makeClient();
    expect(await client.getSubscription('sub_123')).toEqual(sub());
    expect(seen).toHaveLength(2);
    expect(sleeps).toEqual([250]);
    expect(retries[0].reason).toMatch(/network error/);
  });

  it('gives up after 4 attempts with an ApiError naming the cause and the base URL hint', async () => {
    server.use(
      http.get(
        ITEM,
        sequence(() => HttpResponse.error()),
      ),
    );
    const { client } = makeClient();
    const err = await caught(client.getSubscription('sub_123'));
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBeUndefined();
    expect(err.message).toMatch(/^network error talking to http:\/\/api\.test: .+; gave up after 4 attempts$/);
    expect(domainHint(err)).toMatch(/--base-url or PICTIFY_BASE_URL/);
    expect(err.cause).toBeInstanceOf(TypeError);
    expect(seen).toHaveLength(4);
  });

  it('times out a hanging attempt, retries, and reports the timeout', async () => {
    server.use(
      http.get(ITEM, async ({ request }) => {
        await record(request);
        await delay('infinite');
        return ok();
      }),
    );
    const { client } = makeClient({ timeoutMs: 50, maxAttempts: 2 });
    const err = await caught(client.getSubscription('sub_123'));
    expect(err).toBeInstanceOf(ApiError);
    expect(err.message).toBe('request to http://api.test timed out after 50 ms; gave up after 2 attempts');
    expect(err.code).toBe('timeout');
    expect(seen).toHaveLength(2);
  });

  it('a DELETE whose first answer was lost counts a later 404 as deleted', async () => {
    server.use(http.delete(ITEM, sequence(status(502), status(404, {}, { message: 'Subscription not found' }))));
    const { client } = makeClient();
    expect(await client.deleteSubscription('sub_123')).toEqual({ uid: 'sub_123', deleted: true });
    expect(seen).toHaveLength(2);
  });

  it('a DELETE that 404s on the first attempt is not found', async () => {
    server.use(http.delete(ITEM, sequence(status(404, {}, { message: 'Subscription not found' }))));
    const { client } = makeClient();
    const err = await caught(client.deleteSubscription('sub_123'));
    expect(err.status).toBe(404);
    expect(domainHint(err)).toBe('check the uid with `pictify-hooks list`');
  });

  it('Ctrl-C during a long wait ends it at once with the caller’s reason', async () => {
    server.use(http.get(ITEM, sequence(status(429, { 'Retry-After': '30' }))));
    const controller = new AbortController();
    const reason = new Error('interrupted');
    const { client } = makeClient({
      sleep: () => {
        queueMicrotask(() => controller.abort(reason));
        return new Promise(() => {}); // never resolves on its own
      },
    });
    expect(await caught(client.getSubscription('sub_123', { signal: controller.signal }))).toBe(reason);
    expect(seen).toHaveLength(1);
  });

  it('the default sleep really waits', async () => {
    server.use(http.get(ITEM, sequence(status(503, { 'Retry-After': '0.05' }), ok)));
    const { client } = makeClient({ sleep: undefined });
    const started = Date.now();
    await client.getSubscription('sub_123');
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });
});

describe('injected fetchImpl', () => {
  const failWith = (code: string) => {
    const calls: RequestInit[] = [];
    const fetchImpl = (async (_url: unknown, init?: RequestInit) => {
      calls.push(init ?? {});
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error(`getaddrinfo ${code} api.test`), { code }),
      });
    }) as typeof fetch;
    return { calls, fetchImpl };
  };

  it('is called with the undici Agent as dispatcher and the per-attempt signal', async () => {
    const { Agent } = await import('undici');
    const { calls, fetchImpl } = failWith('ECONNRESET');
    const { client } = makeClient({ fetchImpl, maxAttempts: 2 });
    const err = await caught(client.getSubscription('sub_123'));
    expect(err.message).toBe(
      'connection to http://api.test was closed unexpectedly (ECONNRESET); gave up after 2 attempts',
    );
    expect(calls).toHaveLength(2);
    expect((calls[0] as { dispatcher?: unknown }).dispatcher).toBeInstanceOf(Agent);
    expect(calls[0].signal).toBeInstanceOf(AbortSignal);
    await client.close();
  });

  it('does not retry a DNS failure (ENOTFOUND) and says so', async () => {
    const { calls, fetchImpl } = failWith('ENOTFOUND');
    const { client, sleeps } = makeClient({ fetchImpl });
    const err = await caught(client.listSubscriptions());
    expect(err).toBeInstanceOf(ApiError);
    expect(err.message).toBe('could not resolve host api.test (DNS lookup failed: ENOTFOUND)');
    expect(err.code).toBe('ENOTFOUND');
    expect(domainHint(err)).toMatch(/--base-url or PICTIFY_BASE_URL/);
    expect(calls).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('retries a temporary DNS failure (EAI_AGAIN)', async () => {
    const { calls, fetchImpl } = failWith('EAI_AGAIN');
    const { client } = makeClient({ fetchImpl });
    const err = await caught(client.listSubscriptions());
    expect(err.message).toBe('DNS lookup for api.test failed temporarily (EAI_AGAIN); gave up after 4 attempts');
    expect(calls).toHaveLength(4);
  });

  it('rethrows errors that are not network failures untouched', async () => {
    const bug = new RangeError('bug in a custom fetch');
    const fetchImpl = (async () => {
      throw bug;
    }) as typeof fetch;
    const { client } = makeClient({ fetchImpl });
    expect(await caught(client.listSubscriptions())).toBe(bug);
  });
});
