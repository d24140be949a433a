// Shared msw fixtures for the API client tests. Every test file owns its own server lifecycle.

import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createApiClient, type ApiClient } from '../../../src/api/index.js';
import type { ApiClientOptions, RetryInfo, Subscription } from '../../../src/api/types.js';

export const BASE = 'http://api.test';
export const KEY = 'pk_test_9f8e7d6c5b4a3210';
export const UA = 'pictify-hooks/0.0.0-test';
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const server = setupServer();

export interface SeenRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: unknown;
}

export const seen: SeenRequest[] = [];

/** Call first in every handler: records what actually went over the (mocked) wire. */
export async function record(request: Request): Promise<SeenRequest> {
  const text = await request.clone().text();
  const headers: Record<string, string> = {};
  // tsconfig's lib has DOM but not DOM.Iterable, so Headers is walked with forEach.
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const entry: SeenRequest = {
    method: request.method,
    url: new URL(request.url),
    headers,
    body: text === '' ? undefined : JSON.parse(text),
  };
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
    baseUrl: BASE,
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
