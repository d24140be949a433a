// The request core: one place that authenticates, times out, retries when it is safe, and turns failures
// into typed errors. Modelled on svix's request.ts, but the retry loop is ours (not undici's RetryAgent)
// so that it works through global fetch, which is what msw intercepts in tests.

import { ApiError, AuthError } from '../errors.js';
import { abortable, anySignal, defaultSleep } from './abort.js';
import { createAgentLoader } from './agent.js';
import { AUTH_HINT, errorFromResponse, parseErrorBody, networkApiError, statusLine } from './errors.js';
import { classifyNetworkError, describeRetryReason, type NetworkFailure } from './network.js';
import { parseRateLimit } from './rate-limit.js';
import {
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_MAX_RETRY_WAIT_MS,
  computeRetryDelay,
  isRetryableMethod,
  isRetryableStatus,
  parseRetryAfterHeader,
  retryAfterFromBody,
} from './retry.js';
import type { ApiClientOptions, RateLimitInfo } from './types.js';
import { joinUrl, parseBaseUrl, type ParsedBase, type QueryValue } from './url.js';

export const DEFAULT_TIMEOUT_MS = 30_000;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface HttpRequest {
  method: HttpMethod;
  /** Starts with "/"; dynamic segments already encoded. */
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
  signal?: AbortSignal;
  /** Routes the API may refuse to API keys (pause/resume): these statuses become `action_refused`. */
  refusal?: { statuses: readonly number[]; action: string; hint: string };
  /** DELETE: any 2xx is success, so a non-JSON body ("OK") is kept as text instead of being an error. */
  textBodyIsFine?: boolean;
  /**
   * DELETE: if an earlier attempt may have reached the server (502/504, reset, timeout) a later 404 means
   * that attempt did the work and only its answer was lost.
   */
  notFoundAfterRetryIsSuccess?: boolean;
}

export interface HttpResponse {
  status: number;
  /** Parsed JSON; undefined for an empty body (204, bare 200). */
  body: unknown;
  headers: Headers;
  attempts: number;
}

export interface HttpClient {
  request(req: HttpRequest): Promise<HttpResponse>;
  readonly lastRateLimit: RateLimitInfo | undefined;
  close(): Promise<void>;
}

type Outcome =
  | { kind: 'response'; status: number; statusText: string; headers: Headers; text: string }
  | { kind: 'network'; failure: NetworkFailure; error: unknown };

/** A server that echoes the key back ("invalid key sk_…") must not get it into our messages or --json. */
function redact(text: string, secret: string | undefined): string {
  return secret && secret.length >= 4 ? text.split(secret).join('[redacted]') : text;
}

export function createHttpClient(options: ApiClientOptions): HttpClient {
  const maxAttempts = Math.max(1, Math.floor(options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS));
  const capMs = Math.max(0, options.maxRetryWait ?? DEFAULT_MAX_RETRY_WAIT_MS);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const newIdempotencyKey = options.idempotencyKey ?? (() => crypto.randomUUID());
  // Looked up per call, not captured here: msw patches globalThis.fetch after clients may already exist.
  const doFetch: typeof fetch = options.fetchImpl ?? ((input, init) => globalThis.fetch(input, init));
  const agent = createAgentLoader(timeoutMs);
  let base: ParsedBase | undefined;
  let lastRateLimit: RateLimitInfo | undefined;

  async function attemptOnce(url: URL, init: RequestInit, userSignal: AbortSignal | undefined): Promise<Outcome> {
    // Belt and braces with the Agent's own timeouts: this one also bounds injected fetchImpls and msw.
    const timeoutSignal = AbortSignal.timeout(timeoutMs);
    const signal = userSignal ? anySignal(userSignal, timeoutSignal) : timeoutSignal;
    // DOM RequestInit has no `dispatcher`; Node's fetch (undici) reads it, other fetches ignore it.
    const dispatcher = await agent.get();
    try {
      const res = await doFetch(url, { ...init, signal, dispatcher } as RequestInit);
      // Reading the body is part of the attempt: a reset mid-body is as retryable as one before headers.
      const text = await res.text();
      return { kind: 'response', status: res.status, statusText: res.statusText, headers: res.headers, text };
    } catch (error) {
      // The caller's abort is final and keeps the caller's reason (e.g. an InterruptedError on SIGINT).
      if (userSignal?.aborted) throw userSignal.reason;
      const failure: NetworkFailure | undefined = timeoutSignal.aborted
        ? { kind: 'timeout', retryable: true, detail: `timed out after ${timeoutMs} ms` }
        : classifyNetworkError(error);
      if (!failure) throw error;
      return { kind: 'network', failure, error };
    }
  }

  async function request(req: HttpRequest): Promise<HttpResponse> {
    if (!options.apiKey) throw new AuthError('no API key', { hint: AUTH_HINT });
    // A key with whitespace or control characters cannot go in a header, and the HTTP library's complaint would
    // quote it: refuse it here, without echoing it.
    if (!/^[\x21-\x7e]+$/.test(options.apiKey)) {
      throw new AuthError('the API key contains spaces or control characters (a pasted newline?)', {
        hint: 'set it again with `pictify-hooks login`, or fix PICTIFY_API_KEY',
      });
    }
    base ??= parseBaseUrl(options.baseUrl);
    const url = joinUrl(base, req.path, req.query);
    // One key for every attempt of this call: that is what lets the server replay instead of create twice.
    const idempotencyKey = req.method === 'POST' ? newIdempotencyKey() : undefined;
    const headers: Record<string, string> = {
      Authorization: `Bearer ${options.apiKey}`,
      'User-Agent': options.userAgent,
      Accept: 'application/json',
    };
    if (req.body !== undefined) headers['Content-Type'] = 'application/json';
    if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
    const init: RequestInit = {
      method: req.method,
      headers,
      ...(req.body !== undefined && { body: JSON.stringify(req.body) }),
    };
    const canRetry = isRetryableMethod(req.method, idempotencyKey !== undefined);
    let mayHaveReachedServer = false;

    for (let attempt = 1; ; attempt++) {
      req.signal?.throwIfAborted();
      const outcome = await attemptOnce(url, init, req.signal);
      let serverWaitMs: number | undefined;
      let reason: string;

      if (outcome.kind === 'response') {
        const { status, statusText, headers: resHeaders } = outcome;
        const text = redact(outcome.text, options.apiKey);
        const rateLimit = parseRateLimit(resHeaders, now());
        if (rateLimit) lastRateLimit = rateLimit;

        if (status >= 200 && status < 300) {
          const body = parseSuccessBody(text, status, statusText, req.textBodyIsFine === true);
          return { status, body, headers: resHeaders, attempts: attempt };
        }
        if (status === 404 && req.notFoundAfterRetryIsSuccess && mayHaveReachedServer) {
          return { status, body: undefined, headers: resHeaders, attempts: attempt };
        }
        const parsed = parseErrorBody(text);
        serverWaitMs = parseRetryAfterHeader(resHeaders.get('retry-after'), now()) ?? retryAfterFromBody(parsed.body);
        // A 429 without Retry-After can still say when the window resets.
        if (status === 429 && serverWaitMs === undefined && rateLimit?.resetAt !== undefined) {
          serverWaitMs = Math.max(0, rateLimit.resetAt - now());
        }
        if (!(canRetry && isRetryableStatus(status) && attempt < maxAttempts)) {
          throw errorFromResponse({
            status,
            statusText,
            parsed,
            attempts: attempt,
            retryAfterMs: serverWaitMs,
            refusal: req.refusal,
          });
        }
        // 502/504 come from a proxy that may already have forwarded the request; 429/503 were turned away.
        if (status === 502 || status === 504) mayHaveReachedServer = true;
        reason = `HTTP ${statusLine(status, statusText)}`;
      } else {
        const { failure } = outcome;
        if (!(canRetry && failure.retryable && attempt < maxAttempts)) {
          throw networkApiError(failure, {
            base: base.display,
            host: base.url.hostname,
            attempts: attempt,
            timeoutMs,
            cause: outcome.error,
          });
        }
        // A refused connection never carried the request; anything later might have.
        if (failure.kind !== 'refused' && failure.kind !== 'dns_temporary') mayHaveReachedServer = true;
        reason = describeRetryReason(failure);
      }

      const delayMs = computeRetryDelay({ failedAttempts: attempt, serverWaitMs, capMs, random });
      options.onRetry?.({ attempt: attempt + 1, delayMs, reason });
      await abortable(sleep(delayMs, req.signal), req.signal);
    }
  }

  return {
    request,
    get lastRateLimit() {
      return lastRateLimit;
    },
    close: () => agent.close(),
  };
}

function parseSuccessBody(text: string, status: number, statusText: string, textIsFine: boolean): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (cause) {
    if (textIsFine) return text;
    const { words } = parseErrorBody(text);
    throw new ApiError(
      `API returned a non-JSON response (${statusLine(status, statusText)})${words ? `: ${words}` : ''}`,
      {
        status,
        code: 'invalid_response',
        body: text.slice(0, 2000),
        hint: 'check the API address (--base-url or PICTIFY_BASE_URL): it may point at a web page, not the API',
        cause,
      },
    );
  }
}
