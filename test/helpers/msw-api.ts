// The one msw stand-in for Pictify's API (msw sees global fetch, which the client uses). Two ways to use it, one
// recorder: scripted handlers per test on `server` for the API client's unit tests (useMsw, record, seen), and a
// fake that keeps state for command tests, so they see real round trips (createFakeApi).
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
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

// ---- scripted handlers (API client unit tests) ------------------------------------------------------------------

export const server = setupServer();

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

export function createFakeApi() {
  const subs = new Map<string, FakeSub>();
  const requests: SeenRequest[] = [];
  let counter = 0;
  const record = async (request: Request) => void requests.push(await recordRequest(request));
  const server = setupServer(
    http.get(`${API}/webhook-subscriptions`, async ({ request }) => {
      await record(request);
      const url = new URL(request.url);
      const page = Number(url.searchParams.get('page') ?? 1);
      const limit = Number(url.searchParams.get('limit') ?? 20);
      const all = [...subs.values()].filter(
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
    http.post(`${API}/webhook-subscriptions`, async ({ request }) => {
      await record(request);
      const body = (await request.json()) as {
        event: string;
        targetUrl: string;
        platform?: string;
        filters?: Record<string, string>;
      };
      const uid = `wh_test${++counter}`;
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
      subs.set(uid, sub);
      return HttpResponse.json(
        { subscription: { ...sub, secret: `whsec_SECRET${counter}abcdefghijklmnopqrstuvwxyz0123` } },
        { status: 201 },
      );
    }),
    http.get(`${API}/webhook-subscriptions/:uid`, async ({ request, params }) => {
      await record(request);
      const sub = subs.get(String(params.uid));
      return sub
        ? HttpResponse.json({ subscription: sub })
        : HttpResponse.json({ error: 'Subscription not found', code: 'not_found' }, { status: 404 });
    }),
    http.put(`${API}/webhook-subscriptions/:uid`, async ({ request, params }) => {
      await record(request);
      const sub = subs.get(String(params.uid));
      if (!sub) return HttpResponse.json({ message: 'not found' }, { status: 404 });
      const body = (await request.json()) as Partial<FakeSub>;
      Object.assign(sub, Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)));
      return HttpResponse.json({ subscription: sub });
    }),
    http.delete(`${API}/webhook-subscriptions/:uid`, async ({ request, params }) => {
      await record(request);
      if (!subs.delete(String(params.uid))) return HttpResponse.json({ message: 'not found' }, { status: 404 });
      return HttpResponse.json({ deleted: true });
    }),
    http.post(`${API}/webhook-subscriptions/:uid/:action`, async ({ request }) => {
      await record(request);
      return HttpResponse.json(
        { error: 'This action requires a dashboard session', code: 'forbidden' },
        { status: 403 },
      );
    }),
  );
  const reset = () => {
    subs.clear();
    requests.length = 0;
    counter = 0;
  };
  return { server, subs, requests, reset };
}
