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
  // The raw digest, not hex: comparing needs bytes, and a hex round trip per delivery is measurable on the hot path.
  const expected = computeSignatureBytes(secret, timestamp, payload);
  let matched = false;
  for (const candidate of signatures) {
    matched = (decodeHex64(candidate, candidateBytes) && timingSafeEqual(candidateBytes, expected)) || matched;
  }
  return matched;
}
