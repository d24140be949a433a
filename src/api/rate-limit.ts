// X-RateLimit-* headers, kept so commands can show "N requests left" and so a final 429 can say when to retry.

import type { RateLimitInfo } from './types.js';

function num(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * X-RateLimit-Reset is epoch seconds at some APIs and seconds-until-reset at others. Anything past
 * 2001-09-09 (1e9 s) can only be an epoch; anything smaller is a delta.
 */
export function parseRateLimit(headers: Headers, nowMs: number): RateLimitInfo | undefined {
  const limit = num(headers.get('x-ratelimit-limit'));
  const remaining = num(headers.get('x-ratelimit-remaining'));
  const reset = num(headers.get('x-ratelimit-reset'));
  if (limit === undefined && remaining === undefined && reset === undefined) return undefined;
  const info: RateLimitInfo = {};
  if (limit !== undefined) info.limit = limit;
  if (remaining !== undefined) info.remaining = remaining;
  if (reset !== undefined) info.resetAt = reset >= 1e9 ? reset * 1000 : nowMs + reset * 1000;
  return info;
}
