// Posts one signed request over an undici pool and reports what a user needs: status, latency, body, or a
// named network failure. undici.request (not fetch) because send --count pushes thousands through keep-alive.
import type { Dispatcher } from 'undici';
import type { SignedRequest } from './build.js';
import { targetOfUrl, type Target } from './target.js';
import { ANSWER_WINDOW_MS } from '../api/contract.js';

export type NetworkFailure = 'refused' | 'dns' | 'timeout' | 'tls' | 'reset' | 'other';

export interface PostResult {
  status?: number;
  latencyMs: number;
  /** Response body as text, cut at `maxBodyBytes`. */
  body: string;
  headers: Record<string, string>;
  error?: { kind: NetworkFailure; message: string };
}

export interface PostOptions {
  timeoutMs?: number;
  dispatcher?: Dispatcher;
  maxBodyBytes?: number;
  signal?: AbortSignal;
}

let undiciModule: Promise<typeof import('undici')> | undefined;
export function loadUndici(): Promise<typeof import('undici')> {
  undiciModule ??= import('undici');
  return undiciModule;
}

/** A keep-alive pool for many deliveries to one or a few hosts. */
export async function createDeliveryAgent(
  options: { connections?: number; timeoutMs?: number } = {},
): Promise<Dispatcher> {
  const { Agent } = await loadUndici();
  return new Agent({
    connections: options.connections ?? 64,
    keepAliveTimeout: 10_000,
    connectTimeout: Math.min(options.timeoutMs ?? 10_000, 10_000),
    headersTimeout: options.timeoutMs ?? ANSWER_WINDOW_MS,
    bodyTimeout: options.timeoutMs ?? ANSWER_WINDOW_MS,
  });
}

function isTarget(value: string | URL | Target): value is Target {
  return typeof value === 'object' && !(value instanceof URL);
}

/**
 * Posts through the dispatcher's own `request` with origin and path apart, so a Target's path is sent verbatim.
 * Redirects are never followed (undici's dispatchers do not): a 3xx is the answer.
 */
export async function postDelivery(
  to: string | URL | Target,
  request: SignedRequest,
  options: PostOptions = {},
): Promise<PostResult> {
  const target = isTarget(to) ? to : targetOfUrl(new URL(String(to)));
  const url = target.href;
  const dispatcher = options.dispatcher ?? (await loadUndici()).getGlobalDispatcher();
  const timeoutMs = options.timeoutMs ?? ANSWER_WINDOW_MS;
  const started = performance.now();
  const signal = options.signal
    ? AbortSignal.any([options.signal, AbortSignal.timeout(timeoutMs)])
    : AbortSignal.timeout(timeoutMs);
  try {
    const response = await dispatcher.request({
      origin: target.origin,
      path: target.path,
      method: 'POST',
      headers: request.headers,
      body: request.body,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal,
    });
    const body = await readCapped(response.body, options.maxBodyBytes ?? 64 * 1024);
    return {
      status: response.statusCode,
      latencyMs: performance.now() - started,
      body,
      headers: flattenHeaders(response.headers),
    };
  } catch (error) {
    return {
      latencyMs: performance.now() - started,
      body: '',
      headers: {},
      error: describeNetworkError(error, url, timeoutMs),
    };
  }
}

async function readCapped(body: AsyncIterable<Buffer> & { destroy?: () => void }, max: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    if (size < max) chunks.push(chunk.subarray(0, max - size));
    size += chunk.length;
  }
  return Buffer.concat(chunks).toString('utf8');
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

export function describeNetworkError(
  error: unknown,
  url: string | URL,
  timeoutMs: number,
): { kind: NetworkFailure; message: string } {
  const err = error as { code?: string; name?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = err.code ?? err.cause?.code ?? '';
  const host = new URL(String(url)).host;
  if (code === 'UND_ERR_INVALID_ARG')
    return { kind: 'other', message: `request to ${host} was not sent: ${err.message}` };
  if (code === 'ECONNREFUSED')
    return { kind: 'refused', message: `connection refused by ${host}: is the receiver running?` };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return { kind: 'dns', message: `cannot resolve host ${new URL(String(url)).hostname}` };
  if (
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT' ||
    err.name === 'TimeoutError' ||
    code === 'ETIMEDOUT'
  ) {
    return { kind: 'timeout', message: `no answer from ${host} within ${timeoutMs} ms` };
  }
  if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/i.test(code)) {
    return { kind: 'tls', message: `TLS error talking to ${host}: ${err.message ?? code}` };
  }
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') {
    return { kind: 'reset', message: `connection to ${host} was closed before an answer (${code})` };
  }
  return { kind: 'other', message: `request to ${host} failed: ${err.message ?? String(error)}` };
}
