import { timingSafeEqual } from 'node:crypto';
import { computeSignatureBytes, type Payload } from './compute.js';
import { decodeHex64 } from './hex.js';

// Verification is synchronous, so one scratch buffer serves every comparison: no allocation per candidate.
const candidateBytes = Buffer.alloc(32);

/**
 * Whether any of `signatures` is the v1 of (secret, timestamp, payload). Every entry is compared, without stopping
 * at the first hit, so timing does not reveal which entry matched. An entry that is not exactly 64 hex characters
 * never matches.
 */
export function anySignatureMatches(
  signatures: readonly string[],
  secret: string,
  timestamp: number,
  payload: Payload,
): boolean {
  return matchingSignature(signatures, secret, timestamp, payload) !== undefined;
}

/**
 * The v1 of (secret, timestamp, payload) in lowercase hex when one of `signatures` is it, else undefined — the value
 * that names these signed bytes for idempotency (delivery-keys.ts). Compares every entry, as anySignatureMatches.
 */
export function matchingSignature(
  signatures: readonly string[],
  secret: string,
  timestamp: number,
  payload: Payload,
): string | undefined {
  // The raw digest, not hex: comparing needs bytes, and a hex round trip per delivery is measurable on the hot path.
  const expected = computeSignatureBytes(secret, timestamp, payload);
  let matched: string | undefined;
  for (const candidate of signatures) {
    const same = decodeHex64(candidate, candidateBytes) && timingSafeEqual(candidateBytes, expected);
    if (same && matched === undefined) matched = candidate;
  }
  // Every matching entry spells the same digest; only its case may differ.
  return matched?.toLowerCase();
}
