// Retry policy as pure functions, so every branch is testable without a server or a clock.

export const DEFAULT_MAX_ATTEMPTS = 4;
export const DEFAULT_MAX_RETRY_WAIT_MS = 30_000;
/** Per attempt (connect + headers + body): Pictify gives receivers 30 s, the API gets the same. */
export const DEFAULT_TIMEOUT_MS = 30_000;
export const BACKOFF_BASE_MS = 500;

/** Statuses that say "try again later" without the request having been acted on (or safely replayable). */
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status);
}

/**
 * GET/PUT/DELETE are idempotent by definition. POST is retried only when it carries an Idempotency-Key,
 * because then the server replays the first result instead of creating a second subscription.
 */
export function isRetryableMethod(method: string, hasIdempotencyKey: boolean): boolean {
  const m = method.toUpperCase();
  if (m === 'GET' || m === 'HEAD' || m === 'PUT' || m === 'DELETE' || m === 'OPTIONS') return true;
  return m === 'POST' && hasIdempotencyKey;
}

/** `Retry-After` is either delta-seconds or an HTTP-date (RFC 9110 §10.2.3). Returns ms, or undefined if unusable. */
export function parseRetryAfterHeader(value: string | null | undefined, nowMs: number): number | undefined {
  if (value == null) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // An HTTP-date always names a day and month; without letters Date.parse would accept "-3" as a year.
  if (!/[a-z]/i.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  // A date in the past means "now"; never a negative wait.
  return Math.max(0, date - nowMs);
}

/** Some Pictify responses put the wait in the body instead: `retryAfter` or `retry_after`, in seconds. */
export function retryAfterFromBody(body: unknown): number | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const record = body as Record<string, unknown>;
  for (const key of ['retryAfter', 'retry_after']) {
    const raw = record[key];
    const seconds = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
    if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  }
  return undefined;
}

/** Exponential backoff with full jitter (AWS style): uniform in [0, base·2^(n-1)], n = failed attempts so far. */
export function backoffDelay(failedAttempts: number, random: () => number, baseMs = BACKOFF_BASE_MS): number {
  const ceiling = baseMs * 2 ** Math.max(0, failedAttempts - 1);
  return Math.floor(random() * ceiling);
}

/**
 * The wait before the next attempt. A server-given wait wins over backoff. Either is capped at `capMs`:
 * when the server asks for longer than the cap we still wait the cap and try again rather than give up,
 * because attempts are bounded anyway (worst case (maxAttempts-1)·cap), a rate limiter answering an early
 * retry costs nothing but that attempt, and a CLI that fails instantly on every long Retry-After is worse
 * than one that tries a little early. The final error still reports the server's full wait.
 */
export function computeRetryDelay(input: {
  failedAttempts: number;
  serverWaitMs?: number;
  capMs: number;
  random: () => number;
}): number {
  const wanted = input.serverWaitMs ?? backoffDelay(input.failedAttempts, input.random);
  return Math.max(0, Math.min(wanted, input.capMs));
}
