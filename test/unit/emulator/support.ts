// Shared pieces for the emulator tests: the reference receiver as they use it, the API client, bounded polling.
import { createApiClient, type ApiClient } from '../../../src/api/index.js';
import { startReferenceReceiver, type Answer, type ReferenceReceiver } from '../../helpers/reference-receiver.js';

export const KEY = 'pk_test_emulator_0123456789';

/**
 * The emulator tests' receiver: the reference receiver at /hooks, answering by the 1-based count of deliveries so
 * far, with a plain-text body the emulator logs ("ok", "receiver said no (500)"); status 0 never answers.
 */
export function respondWith(respond: (n: number) => number): Answer {
  return (_req, index) => {
    const status = respond(index + 1);
    return status === 0 ? 'hang' : { status, body: status < 300 ? 'ok' : `receiver said no (${status})` };
  };
}

export function startReceiver(respond: (n: number) => number = () => 200): Promise<ReferenceReceiver> {
  return startReferenceReceiver({ path: '/hooks', answer: respondWith(respond) });
}

export async function waitFor<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function client(baseUrl: string, apiKey = KEY): ApiClient {
  return createApiClient({ baseUrl, apiKey, userAgent: 'pictify-hooks/test', maxAttempts: 1 });
}

export async function call(
  baseUrl: string,
  method: string,
  path: string,
  options: { body?: unknown; rawBody?: string; key?: string | null; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; json: any; text: string }> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key !== null) headers.authorization = `Bearer ${options.key ?? KEY}`;
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${baseUrl}${path}`, { method, headers, body });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}
