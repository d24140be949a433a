// One-line fixes, keyed by case id: what the receiver did wrong and what to do instead.
import { DEFAULT_TOLERANCE_SECONDS } from '../signing/index.js';

const TOL = DEFAULT_TOLERANCE_SECONDS;

/** A negative case answered 2xx: the receiver accepted what it must refuse. */
const ACCEPTED: Record<string, string> = {
  'tampered-body': 'your receiver accepts a changed body: verify the HMAC over the raw body bytes before trusting them',
  'wrong-secret':
    'your receiver accepts a signature made with another secret: compute HMAC-SHA256 with your subscription secret and compare',
  'stale-timestamp': `your receiver accepts a stale timestamp: reject |now − t| > ${TOL} s`,
  'future-timestamp': `your receiver accepts a timestamp from the future: reject |now − t| > ${TOL} s in both directions`,
  'missing-header':
    'your receiver accepts a delivery without X-Pictify-Signature: answer 401 when the header is missing',
  'malformed-header:garbage':
    'your receiver accepts a garbage signature header: require t=<unix seconds> and a matching v1=',
  'malformed-header:empty-v1': 'your receiver accepts an empty v1=: reject unless a non-empty v1 matches',
  'malformed-header:no-t':
    'your receiver accepts a header without t=: reject it (it signs "undefined.<body>" instead of refusing)',
  'malformed-header:non-numeric-t': `your receiver accepts a non-numeric t: require whole unix seconds (NaN passes |now − t| > ${TOL})`,
  'short-signature':
    'your receiver accepts a truncated v1: compare the whole signature (lengths first, then timingSafeEqual)',
  'reserialized-body':
    'your receiver verifies a re-serialized body: HMAC the raw request bytes, parse JSON only after verifying',
};

/** A case that must pass was refused with a 4xx. */
const REFUSED: Record<string, string> = {
  rotation: 'your receiver checks only the first v1: accept the delivery when any v1 in the header matches',
  'duplicate-delivery':
    'your receiver refuses a repeated delivery id: answer 2xx to duplicates (Pictify retries) and skip the work',
};

const REFUSED_VALID =
  'your receiver refuses a correctly signed delivery: HMAC-SHA256 of "<t>.<raw body>" keyed with the whole secret (whsec_ included), hex, and check the secret';

export function acceptedHint(id: string, sent: string): string {
  return ACCEPTED[id] ?? `your receiver accepts ${sent}: answer 4xx`;
}

export function refusedHint(id: string): string {
  return REFUSED[id] ?? REFUSED_VALID;
}

export function crashedHint(id: string, sent: string, status: number, expectsSuccess: boolean): string {
  if (expectsSuccess) {
    return `your receiver fails with ${status} on ${sent}: Pictify retries and pauses the subscription after 5 failures`;
  }
  if (id === 'short-signature' || id === 'malformed-header:empty-v1') {
    return `your receiver crashes (${status}) on ${sent} instead of rejecting it: compare lengths before timingSafeEqual and answer 401`;
  }
  return `your receiver crashes (${status}) on ${sent} instead of rejecting it: catch verification errors and answer 4xx`;
}

export function unexpectedStatusHint(expected: string, status: number): string {
  return `expected ${expected}, got ${status}: answer ${expected} directly (redirects are not followed)`;
}

export function slowHint(seconds: string, limitSeconds: number): string {
  return `your receiver took ${seconds} to answer a valid delivery: answer 2xx within ${limitSeconds} s and do the work afterwards (Pictify gives up at 30 s)`;
}
