import { computeSignature, type Payload } from './compute.js';
import { SIGNATURE_SCHEME } from './constants.js';

export interface SignOptions {
  payload: Payload;
  /** Several secrets give several `v1=` entries: what a sender does while a secret is being rotated. */
  secret: string | readonly string[];
  /** Unix seconds; defaults to the current time. */
  timestamp?: number;
}

/** Builds an `X-Pictify-Signature` value: `t=<unix seconds>,v1=<hex>[,v1=<hex>…]`. */
export function signPayload({ payload, secret, timestamp }: SignOptions): string {
  const secrets = typeof secret === 'string' ? [secret] : [...secret];
  if (secrets.length === 0 || secrets.some((s) => s.length === 0)) {
    // An empty key signs nothing anyone can trust; refuse rather than emit a forgeable header.
    throw new RangeError('signPayload needs at least one non-empty secret');
  }
  const t = timestamp ?? Math.floor(Date.now() / 1000);
  const parts = [`t=${t}`];
  for (const s of secrets) parts.push(`${SIGNATURE_SCHEME}=${computeSignature(s, t, payload)}`);
  return parts.join(',');
}
