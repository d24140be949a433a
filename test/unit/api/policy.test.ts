// Pure pieces: retry policy, network error classification, rate-limit headers, URL joining.

import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.js';
import {
  backoffDelay,
  computeRetryDelay,
  isRetryableMethod,
  isRetryableStatus,
  parseRetryAfterHeader,
  retryAfterFromBody,
} from '../../../src/api/retry.js';
import { classifyNetworkError } from '../../../src/api/network.js';
import { parseRateLimit } from '../../../src/api/rate-limit.js';
import { joinUrl, parseBaseUrl, pathSegment } from '../../../src/api/url.js';

const NOW = Date.parse('2025-06-01T12:00:00Z');

describe('retry policy', () => {
  it('retries only 429/502/503/504', () => {
    expect([408, 429, 500, 501, 502, 503, 504].filter(isRetryableStatus)).toEqual([429, 502, 503, 504]);
  });

  it('retries POST only with an Idempotency-Key', () => {
    expect(isRetryableMethod('GET', false)).toBe(true);
    expect(isRetryableMethod('PUT', false)).toBe(true);
    expect(isRetryableMethod('DELETE', false)).toBe(true);
    expect(isRetryableMethod('POST', false)).toBe(false);
    expect(isRetryableMethod('POST', true)).toBe(true);
    expect(isRetryableMethod('PATCH', true)).toBe(false);
  });

  it.each([
    ['5', 5000],
    [' 0 ', 0],
    ['1.5', 1500],
    ['Sun, 01 Jun 2025 12:00:10 GMT', 10_000],
    ['Sun, 01 Jun 2025 11:00:00 GMT', 0],
    ['soon', undefined],
    ['-3', undefined],
    ['', undefined],
    [null, undefined],
  ])('Retry-After %j → %j ms', (value, expected) => {
    expect(parseRetryAfterHeader(value, NOW)).toBe(expected);
  });

  it('reads the wait from the body in seconds', () => {
    expect(retryAfterFromBody({ retryAfter: 2 })).toBe(2000);
    expect(retryAfterFromBody({ retry_after: '0.25' })).toBe(250);
    expect(retryAfterFromBody({ retryAfter: -1 })).toBeUndefined();
    expect(retryAfterFromBody({ retryAfter: 'later' })).toBeUndefined();
    expect(retryAfterFromBody('text')).toBeUndefined();
    expect(retryAfterFromBody(undefined)).toBeUndefined();
  });

  it('full jitter stays inside [0, 500·2^(n-1)]', () => {
    expect(backoffDelay(1, () => 0)).toBe(0);
    expect(backoffDelay(1, () => 0.999999)).toBe(499);
    expect(backoffDelay(3, () => 0.5)).toBe(1000);
    for (let n = 1; n <= 6; n++) {
      const d = backoffDelay(n, Math.random);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(500 * 2 ** (n - 1));
    }
  });

  it('the server wait wins over backoff, and both are capped', () => {
    expect(computeRetryDelay({ failedAttempts: 1, serverWaitMs: 2000, capMs: 30_000, random: () => 0.5 })).toBe(2000);
    expect(computeRetryDelay({ failedAttempts: 1, serverWaitMs: 90_000, capMs: 30_000, random: () => 0.5 })).toBe(
      30_000,
    );
    expect(computeRetryDelay({ failedAttempts: 10, capMs: 1_000, random: () => 0.9 })).toBe(1_000);
    expect(computeRetryDelay({ failedAttempts: 2, capMs: 30_000, random: () => 0.5 })).toBe(500);
  });
});

function fetchFailed(cause: unknown): TypeError {
  return new TypeError('fetch failed', { cause });
}

function errno(code: string, message = code): Error {
  return Object.assign(new Error(message), { code });
}

describe('classifyNetworkError', () => {
  it.each([
    ['ECONNREFUSED', 'refused', true],
    ['ECONNRESET', 'reset', true],
    ['UND_ERR_SOCKET', 'reset', true],
    ['UND_ERR_CONNECT_TIMEOUT', 'timeout', true],
    ['UND_ERR_HEADERS_TIMEOUT', 'timeout', true],
    ['UND_ERR_BODY_TIMEOUT', 'timeout', true],
    ['ETIMEDOUT', 'timeout', true],
    ['EAI_AGAIN', 'dns_temporary', true],
    ['ENOTFOUND', 'dns', false],
    ['EHOSTUNREACH', 'unreachable', true],
  ])('fetch failed ← %s → %s (retry %s)', (code, kind, retryable) => {
    expect(classifyNetworkError(fetchFailed(errno(code)))).toMatchObject({ kind, code, retryable });
  });

  it('finds the code inside an AggregateError (happy eyeballs)', () => {
    const agg = new AggregateError([errno('ECONNREFUSED'), errno('ECONNREFUSED')], 'connect failed');
    expect(classifyNetworkError(fetchFailed(agg))).toMatchObject({ kind: 'refused' });
  });

  it('treats an AbortSignal.timeout DOMException as a timeout', () => {
    const err = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    expect(classifyNetworkError(err)).toMatchObject({ kind: 'timeout', retryable: true });
  });

  it('retries a bare fetch TypeError, but not one fetch raised for a bad URL', () => {
    expect(classifyNetworkError(new TypeError('Failed to fetch'))).toMatchObject({ kind: 'other', retryable: true });
    expect(classifyNetworkError(fetchFailed(new Error('bad port')))).toMatchObject({ retryable: false });
  });

  it('leaves programming errors alone', () => {
    expect(classifyNetworkError(new RangeError('oops'))).toBeUndefined();
    expect(classifyNetworkError(new Error('plain'))).toBeUndefined();
  });

  it('survives a cause cycle', () => {
    const a: any = new TypeError('a');
    const b: any = new Error('b');
    a.cause = b;
    b.cause = a;
    expect(classifyNetworkError(a)).toMatchObject({ kind: 'other' });
  });
});

describe('parseRateLimit', () => {
  it('reads epoch-second and delta-second resets', () => {
    const h = (reset: string) =>
      new Headers({ 'X-RateLimit-Limit': '60', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': reset });
    expect(parseRateLimit(h('1748779230'), NOW)).toEqual({ limit: 60, remaining: 0, resetAt: 1748779230_000 });
    expect(parseRateLimit(h('30'), NOW)).toEqual({ limit: 60, remaining: 0, resetAt: NOW + 30_000 });
  });

  it('is undefined without the headers, and skips junk values', () => {
    expect(parseRateLimit(new Headers(), NOW)).toBeUndefined();
    expect(parseRateLimit(new Headers({ 'X-RateLimit-Remaining': 'lots', 'X-RateLimit-Limit': '5' }), NOW)).toEqual({
      limit: 5,
    });
  });
});

describe('URLs', () => {
  it.each([
    ['https://api.pictify.io', 'https://api.pictify.io/webhook-subscriptions'],
    ['https://api.pictify.io/', 'https://api.pictify.io/webhook-subscriptions'],
    ['https://proxy.example/pictify/', 'https://proxy.example/pictify/webhook-subscriptions'],
    ['http://127.0.0.1:4010?x=1#frag', 'http://127.0.0.1:4010/webhook-subscriptions'],
  ])('%s + /webhook-subscriptions', (base, expected) => {
    expect(joinUrl(parseBaseUrl(base), '/webhook-subscriptions').href).toBe(expected);
  });

  it('never shows credentials from the base URL', () => {
    expect(parseBaseUrl('https://user:pw@api.pictify.io/').display).toBe('https://api.pictify.io');
  });

  it.each(['not a url', 'ftp://api.pictify.io', ''])('rejects the base URL %j as a usage error', (base) => {
    expect(() => parseBaseUrl(base)).toThrow(InputError);
  });

  it('encodes a path segment and refuses dot segments', () => {
    expect(pathSegment('sub 1/2')).toBe('sub%201%2F2');
    expect(pathSegment('%2e%2e')).toBe('%252e%252e');
    expect(() => pathSegment('..')).toThrow(InputError);
  });
});
