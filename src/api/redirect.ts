// Redirects are followed by us, not by fetch (`redirect: 'manual'`): a hop to another origin would carry the
// bearer key, a create body and its Idempotency-Key there, and its answer (a secret it chose) would be trusted.
// Only GET follows, only within the origin, at most MAX_REDIRECTS hops.

import { ApiError, type ApiOperation } from '../errors.js';

export const MAX_REDIRECTS = 3;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export type RedirectDecision = { kind: 'none' } | { kind: 'follow'; url: URL } | { kind: 'refuse'; error: ApiError };

/** What to do with one answer: not a redirect, follow it to `url`, or refuse it with a typed error. */
export function decideRedirect(input: {
  status: number;
  location: string | null;
  from: URL;
  method: string;
  /** Redirects already followed for this attempt. */
  hops: number;
  operation?: ApiOperation;
}): RedirectDecision {
  const { status, from, method, operation } = input;
  if (!REDIRECT_STATUSES.has(status) || input.location === null) return { kind: 'none' };
  let target: URL;
  try {
    target = new URL(input.location, from);
  } catch {
    return {
      kind: 'refuse',
      error: new ApiError(`the API answered ${status} with an invalid Location (not followed)`, {
        status,
        code: 'invalid_redirect',
        operation,
      }),
    };
  }
  // URL serialisation percent-encodes control characters, so the location is safe to show.
  const location = target.href;
  const data = { status, location, operation };
  if (target.origin !== from.origin) {
    return {
      kind: 'refuse',
      error: new ApiError(
        `the API at ${from.origin} redirected ${method} to another origin: ${location} (not followed)`,
        { ...data, code: 'redirect_cross_origin' },
      ),
    };
  }
  if (method !== 'GET') {
    return {
      kind: 'refuse',
      error: new ApiError(
        `the API redirected ${method} ${from.pathname} to ${location} (only GET redirects are followed)`,
        {
          ...data,
          code: 'redirect_not_followed',
        },
      ),
    };
  }
  if (input.hops >= MAX_REDIRECTS) {
    return {
      kind: 'refuse',
      error: new ApiError(`the API redirected more than ${MAX_REDIRECTS} times (last to ${location})`, {
        ...data,
        code: 'too_many_redirects',
      }),
    };
  }
  return { kind: 'follow', url: target };
}
