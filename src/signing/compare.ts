import { timingSafeEqual } from 'node:crypto';
import { computeSignatureBytes, type Payload } from './compute.js';

const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;

/** Constant-time comparison of one header value with an expected hex digest; never throws on odd input. */
export function signatureEquals(candidate: string, expectedHex: string): boolean {
  if (!HEX_SHA256.test(candidate)) return false; // wrong length or not hex: cannot be a v1, and must not throw
  const given = Buffer.from(candidate, 'hex');
  const expected = Buffer.from(expectedHex, 'hex');
  // timingSafeEqual throws on a length mismatch; the check above guarantees 32 bytes, this keeps it explicit.
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Whether any of `signatures` is the v1 of (secret, timestamp, payload). Every entry is compared, without stopping
 * at the first hit, so timing does not reveal which entry matched.
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
  for (const candidate of signatures) matched = signatureBytesEqual(candidate, expected) || matched;
  return matched;
}

function signatureBytesEqual(candidate: string, expected: Buffer): boolean {
  if (candidate.length !== 64) return false;
  // Hex decoding stops at the first non-hex pair, so any bad character leaves fewer than 32 bytes: the length
  // check below rejects it before timingSafeEqual, with no separate regex pass on the hot path.
  const given = Buffer.from(candidate, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
