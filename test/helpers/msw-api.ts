// The one msw stand-in for Pictify's API (msw sees global fetch, which the client uses): one server, one recorder,
// two ways to use them — scripted handlers per test for the API client's unit tests (useMsw, record, seen), and a
// fake that keeps state for command tests, so they see real round trips (useFakeApi / createFakeApi).
import { http, HttpResponse, type PathParams } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { createApiClient, type ApiClient } from '../../src/api/index.js';
import type { ApiClientOptions, RetryInfo, Subscription } from '../../src/api/types.js';

export const API = 'http://api.test';
export const KEY = 'pk_test_9f8e7d6c5b4a3210';
export const UA = 'pictify-hooks/0.0.0-test';
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface SeenRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: unknown;
}

/** What actually went over the (mocked) wire. */
export async function recordRequest(request: Request): Promise<SeenRequest> {
  const text = await request.clone().text();
  const headers: Record<string, string> = {};
  // tsconfig's lib has DOM but not DOM.Iterable, so Headers is walked with forEach.
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return {
    method: request.method,
    url: new URL(request.url),
    headers,
    body: text === '' ? undefined : JSON.parse(text),
  };
}

// ---- the one server: scripted handlers per test (API client unit tests) over the fake's (command tests) ----------

// The fake's handlers are the server's initial ones, so `resetHandlers()` brings them back; they answer only once
// a file has called createFakeApi, and a test's `server.use(…)` comes before them.
export const server = setupServer(...fakeHandlers());

export const seen: SeenRequest[] = [];

/** Call first in every handler: records the request in `seen`. */
export async function record(request: Request): Promise<SeenRequest> {
  const entry = await recordRequest(request);
  seen.push(entry);
  return entry;
}

export function sub(overrides: Partial<Subscription> = {}): Subscription {
  return {
    uid: 'sub_123',
    event: 'render.completed',
    targetUrl: 'https://example.com/hook',
    platform: 'custom',
    status: 'active',
    filters: {},
    deliveryCount: 3,
    failureCount: 0,
    lastDeliveryAt: null,
    createdAt: '2025-01-02T03:04:05.000Z',
    ...overrides,
  };
}

export interface TestClient {
  client: ApiClient;
  sleeps: number[];
  retries: RetryInfo[];
}

/** A client that never sleeps for real: waits are recorded instead. random() = 0.5 makes backoff exact. */
export function makeClient(overrides: Partial<ApiClientOptions> = {}): TestClient {
  const sleeps: number[] = [];
  const retries: RetryInfo[] = [];
  const client = createApiClient({
    baseUrl: API,
    apiKey: KEY,
    userAgent: UA,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    onRetry: (info) => retries.push(info),
    ...overrides,
  });
  return { client, sleeps, retries };
}

/** Awaits a rejection and returns the error, so tests can assert on several properties of it. */
export async function caught(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the promise to reject');
}

/** Registers the msw lifecycle for the calling test file; unhandled requests fail the test. */
export function useMsw(): void {
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => {
    server.resetHandlers();
    seen.length = 0;
  });
  afterAll(() => server.close());
}

// ---- a stateful fake (command tests) -----------------------------------------------------------------------------

export interface FakeSub {
  uid: string;
  event: string;
  targetUrl: string;
  platform: string;
  status: string;
  filters?: Record<string, string>;
  createdAt: string;
  deliveryCount: number;
  failureCount: number;
}

export interface FakeApi {
  /** The module's one msw server (the same object as `server`). */
  server: typeof server;
  subs: Map<string, FakeSub>;
  requests: SeenRequest[];
  /** Forgets every subscription and request; uids count from wh_test1 again. */
  reset(): void;
}

/** The environment a command needs to reach the fake with a key. */
export const FAKE_API_ENV = { PICTIFY_API_KEY: 'pk_test_0123456789abcdef', PICTIFY_BASE_URL: API };

let fake: (FakeApi & { counter: number }) | undefined;

/** Turns the fake on for the calling test file: Pictify's subscription API, kept in memory. */
export function createFakeApi(): FakeApi {
  const state = {
    server,
    subs: new Map<string, FakeSub>(),
    requests: [] as SeenRequest[],
    counter: 0,
    reset() {
      state.subs.clear();
      state.requests.length = 0;
      state.counter = 0;
    },
  };
  fake = state;
  return state;
}

/**
 * createFakeApi plus its lifecycle: the server listens for the file, and every test starts with no subscriptions
 * and no per-test handlers. Loopback requests pass through when `passLoopback` is set (tests that also post to
 * their own receivers); anything else unhandled fails the test.
 */
export function useFakeApi(options: { passLoopback?: boolean } = {}): FakeApi {
  const api = createFakeApi();
  beforeAll(() =>
    server.listen({
      onUnhandledRequest: options.passLoopback
        ? (request, print) => (new URL(request.url).hostname === '127.0.0.1' ? undefined : print.error())
        : 'error',
    }),
  );
  beforeEach(() => {
    server.resetHandlers();
    api.reset();
  });
  afterAll(() => server.close());
  return api;
}

function fakeHandlers() {
  /** Runs `answer` with the fake's state once a file has turned the fake on; otherwise the request goes on. */
  const withFake =
    (answer: (f: NonNullable<typeof fake>, request: Request, params: PathParams) => Promise<Response>) =>
    async ({ request, params }: { request: Request; params: PathParams }) => {
      const f = fake;
      if (!f) return undefined;
      f.requests.push(await recordRequest(request));
      return answer(f, request, params);
    };
  return [
    http.get(
      `${API}/webhook-subscriptions`,
      withFake(async (f, request) => {
        const url = new URL(request.url);
        const page = Number(url.searchParams.get('page') ?? 1);
        const limit = Number(url.searchParams.get('limit') ?? 20);
        const all = [...f.subs.values()].filter(
          (s) =>
            (!url.searchParams.get('event') || s.event === url.searchParams.get('event')) &&
            (!url.searchParams.get('status') || s.status === url.searchParams.get('status')),
        );
        const totalPages = Math.max(1, Math.ceil(all.length / limit));
        return HttpResponse.json({
          subscriptions: all.slice((page - 1) * limit, page * limit),
          pagination: { page, limit, total: all.length, totalPages, hasNext: page < totalPages, hasPrev: page > 1 },
        });
      }),
    ),
    http.post(
      `${API}/webhook-subscriptions`,
      withFake(async (f, request) => {
        const body = (await request.json()) as {
          event: string;
          targetUrl: string;
          platform?: string;
          filters?: Record<string, string>;
        };
        const uid = `wh_test${++f.counter}`;
        const sub: FakeSub = {
          uid,
          event: body.event,
          targetUrl: body.targetUrl,
          platform: body.platform ?? 'custom',
          status: 'active',
          filters: body.filters,
          createdAt: '2026-11-26T12:00:00.000Z',
          deliveryCount: 0,
          failureCount: 0,
        };
        f.subs.set(uid, sub);
        return HttpResponse.json(
          { subscription: { ...sub, secret: `whsec_SECRET${f.counter}abcdefghijklmnopqrstuvwxyz0123` } },
          { status: 201 },
        );
      }),
    ),
    http.get(
      `${API}/webhook-subscriptions/:uid`,
      withFake(async (f, _request, params) => {
        const sub = f.subs.get(String(params.uid));
        return sub
          ? HttpResponse.json({ subscription: sub })
          : HttpResponse.json({ error: 'Subscription not found', code: 'not_found' }, { status: 404 });
      }),
    ),
    http.put(
      `${API}/webhook-subscriptions/:uid`,
      withFake(async (f, request, params) => {
        const sub = f.subs.get(String(params.uid));
        if (!sub) return HttpResponse.json({ message: 'not found' }, { status: 404 });
        const body = (await request.json()) as Partial<FakeSub>;
        Object.assign(sub, Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)));
        return HttpResponse.json({ subscription: sub });
      }),
    ),
    http.delete(
      `${API}/webhook-subscriptions/:uid`,
      withFake(async (f, _request, params) => {
        if (!f.subs.delete(String(params.uid))) return HttpResponse.json({ message: 'not found' }, { status: 404 });
        return HttpResponse.json({ deleted: true });
      }),
    ),
    http.post(
      `${API}/webhook-subscriptions/:uid/:action`,
      withFake(async () =>
        HttpResponse.json({ error: 'This action requires a dashboard session', code: 'forbidden' }, { status: 403 }),
      ),
    ),
  ];
}
