// The request core: one place that authenticates, times out, retries when it is safe, refuses redirects across
// origins, and turns failures into typed errors that carry data. Modelled on svix's request.ts, but the retry loop
// is ours (not undici's RetryAgent) so that it works through global fetch, which is what msw intercepts in tests.

import { ApiError, type ApiOperation } from '../errors.js';
import { AuthError } from '../cli/errors.js';
import { abortable, defaultSleep } from './abort.js';
import { createAgentLoader } from './agent.js';
import { createAttempter, type Attempter, type Outcome } from './attempt.js';
import { errorFromResponse, parseErrorBody, networkApiError, statusLine } from './errors.js';
import { describeRetryReason, type NetworkFailure } from './network.js';
import { parseRateLimit } from './rate-limit.js';
import { decideRedirect } from './redirect.js';
import {
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_MAX_RETRY_WAIT_MS,
  DEFAULT_TIMEOUT_MS,
  computeRetryDelay,
  isRetryableMethod,
  isRetryableStatus,
  parseRetryAfterHeader,
  retryAfterFromBody,
} from './retry.js';
import type { ApiClientOptions, RateLimitInfo } from './types.js';
import { joinUrl, parseBaseUrl, type ParsedBase, type QueryValue } from './url.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface HttpRequest {
  method: HttpMethod;
  /** Starts with "/"; dynamic segments already encoded. */
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
  signal?: AbortSignal;
  /** What the call is for; copied onto every error so the CLI can word its advice. */
  operation?: ApiOperation;
  /** POST: this Idempotency-Key rather than a fresh one (the caller recorded it to resend after a lost answer). */
  idempotencyKey?: string;
  /** Routes the API may refuse to API keys (pause/resume): these statuses become `action_refused`. */
  refusedStatuses?: readonly number[];
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

/** A server that echoes the key back ("invalid key sk_…") must not get it into our messages or --json. */
function redact(text: string, secret: string | undefined): string {
  return secret && secret.length >= 4 ? text.split(secret).join('[redacted]') : text;
}

/** A missing key, or one that cannot go in a header: refused before any request, and never echoed. */
function checkApiKey(apiKey: string | undefined): asserts apiKey is string {
  if (!apiKey) throw new AuthError('no API key', { code: 'missing_key' });
  if (!/^[\x21-\x7e]+$/.test(apiKey)) {
    throw new AuthError('the API key contains spaces or control characters (a pasted newline?)', {
      code: 'malformed_key',
    });
  }
}

function requestInit(req: HttpRequest, options: ApiClientOptions, idempotencyKey: string | undefined): RequestInit {
  const headers: Record<string, string> = {
    Authorization: `Bearer ${options.apiKey}`,
    'User-Agent': options.userAgent,
    Accept: 'application/json',
  };
  if (req.body !== undefined) headers['Content-Type'] = 'application/json';
  if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
  return { method: req.method, headers, ...(req.body !== undefined && { body: JSON.stringify(req.body) }) };
}

/** One attempt, following same-origin GET redirects (each hop is part of the attempt, not a retry). */
async function attemptFollowingRedirects(attempt: Attempter, url: URL, init: RequestInit, req: HttpRequest) {
  for (let hops = 0; ; hops++) {
    const outcome = await attempt(url, init, req.signal);
    if (outcome.kind !== 'response') return outcome;
    const decision = decideRedirect({
      status: outcome.status,
      location: outcome.headers.get('location'),
      from: url,
      method: req.method,
      hops,
      operation: req.operation,
    });
    if (decision.kind === 'none') return outcome;
    if (decision.kind === 'refuse') throw decision.error;
    url = decision.url;
  }
}

/** A refused connection or a failed lookup never carried the request; anything later might have. */
function mayHaveBeenSent(failure: NetworkFailure): boolean {
  return failure.kind !== 'refused' && failure.kind !== 'dns' && failure.kind !== 'dns_temporary';
}

type Verdict = { done: HttpResponse } | { retry: { reason: string; serverWaitMs?: number; reached: boolean } };

interface JudgeContext {
  attempt: number;
  /** Whether this call may be retried at all and attempts remain. */
  mayRetry: boolean;
  /** An earlier attempt may have been acted on, so a later "turned away" answer leaves a write's outcome unknown. */
  reachedBefore: boolean;
  base: ParsedBase;
  timeoutMs: number;
  apiKey: string;
  now: number;
}

/** One attempt's outcome → success, "try again", or a thrown error that says what is known. */
function judge(outcome: Outcome, req: HttpRequest, ctx: JudgeContext): Verdict {
  const write = req.method !== 'GET';
  if (outcome.kind === 'network') {
    const { failure } = outcome;
    const sent = mayHaveBeenSent(failure);
    if (ctx.mayRetry && failure.retryable) return { retry: { reason: describeRetryReason(failure), reached: sent } };
    throw networkApiError(failure, {
      base: ctx.base.display,
      host: ctx.base.url.hostname,
      attempts: ctx.attempt,
      timeoutMs: ctx.timeoutMs,
      cause: outcome.error,
      operation: req.operation,
      outcomeUnknown: write && (sent || ctx.reachedBefore),
    });
  }

  const { status, statusText, headers } = outcome;
  const text = redact(outcome.text, ctx.apiKey);
  if (status >= 200 && status < 300) {
    const body = parseSuccessBody(text, { status, statusText, req });
    return { done: { status, body, headers, attempts: ctx.attempt } };
  }
  if (status === 404 && req.notFoundAfterRetryIsSuccess && ctx.reachedBefore) {
    return { done: { status, body: undefined, headers, attempts: ctx.attempt } };
  }
  const parsed = parseErrorBody(text);
  let serverWaitMs = parseRetryAfterHeader(headers.get('retry-after'), ctx.now) ?? retryAfterFromBody(parsed.body);
  // A 429 without Retry-After can still say when the window resets.
  const resetAt = parseRateLimit(headers, ctx.now)?.resetAt;
  if (status === 429 && serverWaitMs === undefined && resetAt !== undefined) {
    serverWaitMs = Math.max(0, resetAt - ctx.now);
  }
  // 502/504 come from a proxy that may already have forwarded the request; 429/503 were turned away.
  const turnedAway = status === 429 || status === 503;
  if (ctx.mayRetry && isRetryableStatus(status)) {
    return { retry: { reason: `HTTP ${statusLine(status, statusText)}`, serverWaitMs, reached: !turnedAway } };
  }
  throw errorFromResponse({
    status,
    statusText,
    parsed,
    attempts: ctx.attempt,
    retryAfterMs: serverWaitMs,
    refusedStatuses: req.refusedStatuses,
    operation: req.operation,
    outcomeUnknown: write && ((status >= 500 && !turnedAway) || (turnedAway && ctx.reachedBefore)),
  });
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
  const attempt = createAttempter({ doFetch, agent, timeoutMs });
  let base: ParsedBase | undefined;
  let lastRateLimit: RateLimitInfo | undefined;

  async function request(req: HttpRequest): Promise<HttpResponse> {
    checkApiKey(options.apiKey);
    base ??= parseBaseUrl(options.baseUrl);
    const url = joinUrl(base, req.path, req.query);
    // One key for every attempt of this call: that is what lets the server replay instead of create twice.
    const idempotencyKey = req.method === 'POST' ? (req.idempotencyKey ?? newIdempotencyKey()) : undefined;
    const init = requestInit(req, options, idempotencyKey);
    const canRetry = isRetryableMethod(req.method, idempotencyKey !== undefined);
    let reachedBefore = false;

    for (let attemptNo = 1; ; attemptNo++) {
      req.signal?.throwIfAborted();
      const outcome = await attemptFollowingRedirects(attempt, url, init, req);
      if (outcome.kind === 'response') lastRateLimit = parseRateLimit(outcome.headers, now()) ?? lastRateLimit;
      const verdict = judge(outcome, req, {
        attempt: attemptNo,
        mayRetry: canRetry && attemptNo < maxAttempts,
        reachedBefore,
        base,
        timeoutMs,
        apiKey: options.apiKey,
        now: now(),
      });
      if ('done' in verdict) return verdict.done;
      const { reason, serverWaitMs, reached } = verdict.retry;
      reachedBefore ||= reached;
      const delayMs = computeRetryDelay({ failedAttempts: attemptNo, serverWaitMs, capMs, random });
      options.onRetry?.({ attempt: attemptNo + 1, delayMs, reason });
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

function parseSuccessBody(text: string, ctx: { status: number; statusText: string; req: HttpRequest }): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (cause) {
    if (ctx.req.textBodyIsFine) return text;
    const { words } = parseErrorBody(text);
    throw new ApiError(
      `API returned a non-JSON response (${statusLine(ctx.status, ctx.statusText)})${words ? `: ${words}` : ''}`,
      {
        status: ctx.status,
        code: 'invalid_response',
        body: text.slice(0, 2000),
        operation: ctx.req.operation,
        // The server said yes; only its answer is unreadable.
        outcomeUnknown: ctx.req.method !== 'GET',
        cause,
      },
    );
  }
}
