import { SIGNATURE_HEADER, SIGNATURE_SCHEME } from './constants.js';
import { WebhookVerificationError, type VerificationReason } from './errors.js';
import { isHex64 } from './hex.js';

export interface ParsedSignatureHeader {
  /** Unix seconds. */
  timestamp: number;
  /** Every non-empty `v1` value, in header order. */
  signatures: string[];
}

/** Why a header could not be read; the verify core turns it into its answer. */
export interface HeaderFailure {
  reason: Extract<VerificationReason, 'missing_header' | 'malformed_header' | 'missing_timestamp' | 'no_signatures'>;
  message: string;
}

/** 15 digits stay below Number.MAX_SAFE_INTEGER. */
const MAX_TIMESTAMP_DIGITS = 15;
/** "t=" + 1..15 digits + ",v1=" + 64 hex. */
const CANONICAL_MIN = 2 + 1 + 4 + 64;
const CANONICAL_MAX = 2 + MAX_TIMESTAMP_DIGITS + 4 + 64;

/** Short, single-line excerpt for messages: headers can be attacker-sized. */
export function excerpt(value: string, max = 60): string {
  const oneLine = value.replace(/[\r\n\t]/g, ' ');
  return oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine;
}

const FORMAT = `${SIGNATURE_HEADER} must look like t=<unix seconds>,v1=<64 hex chars>`;

/**
 * `t=<digits>,v1=<64 hex>` exactly — what Pictify sends — read with char-code checks (no regex, no split), so the
 * hot path costs one slice. Anything else returns undefined and takes the general parser, which gives the same
 * result for these strings (they contain no comma, space or second `t`).
 */
function readCanonical(header: string): ParsedSignatureHeader | undefined {
  const n = header.length;
  if (n < CANONICAL_MIN || n > CANONICAL_MAX) return undefined;
  if (header.charCodeAt(0) !== 0x74 /* t */ || header.charCodeAt(1) !== 0x3d /* = */) return undefined;
  const comma = n - 68;
  let timestamp = 0;
  for (let i = 2; i < comma; i++) {
    const digit = header.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return undefined;
    timestamp = timestamp * 10 + digit;
  }
  if (
    header.charCodeAt(comma) !== 0x2c /* , */ ||
    header.charCodeAt(comma + 1) !== 0x76 /* v */ ||
    header.charCodeAt(comma + 2) !== 0x31 /* 1 */ ||
    header.charCodeAt(comma + 3) !== 0x3d /* = */
  ) {
    return undefined;
  }
  const signature = header.slice(comma + 4);
  return isHex64(signature) ? { timestamp, signatures: [signature] } : undefined;
}

function isDigits(value: string): boolean {
  if (value.length === 0 || value.length > MAX_TIMESTAMP_DIGITS) return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/**
 * Reads `t=<unix seconds>,v1=<hex>[,v1=…]` without throwing. Spaces around parts are tolerated, unknown schemes
 * (v0=, v2=…) are ignored so Pictify can add schemes, and every v1 is kept so a rotating sender can list several.
 * Whether a v1 is 64 hex characters is decided by the comparison, not here: a bad v1 simply never matches.
 */
export function readSignatureHeader(header: unknown): ParsedSignatureHeader | HeaderFailure {
  if (typeof header === 'string') {
    const canonical = readCanonical(header);
    if (canonical !== undefined) return canonical;
  } else if (header !== undefined && header !== null) {
    // Only reachable from JavaScript callers; a malformed header (400), never a TypeError (500).
    return { reason: 'malformed_header', message: `${SIGNATURE_HEADER} must be a string, got ${typeof header}` };
  }
  if (typeof header !== 'string' || header.trim() === '') {
    return { reason: 'missing_header', message: `no ${SIGNATURE_HEADER} header` };
  }
  let rawTimestamp: string | undefined;
  const signatures: string[] = [];
  let pairs = 0;
  for (const part of header.split(',')) {
    const item = part.trim();
    if (item === '') continue; // "t=1,,v1=…" or a trailing comma: harmless
    const eq = item.indexOf('=');
    if (eq <= 0) {
      return {
        reason: 'malformed_header',
        message: `${SIGNATURE_HEADER} is not a list of key=value pairs: "${excerpt(header)}"; ${FORMAT}`,
      };
    }
    pairs += 1;
    const key = item.slice(0, eq).trim();
    const value = item.slice(eq + 1).trim();
    if (key === 't') {
      if (rawTimestamp !== undefined && rawTimestamp !== value) {
        return { reason: 'malformed_header', message: `${SIGNATURE_HEADER} carries two different t= values` };
      }
      rawTimestamp = value;
    } else if (key === SIGNATURE_SCHEME && value !== '') {
      signatures.push(value);
    }
  }
  if (pairs === 0) {
    return {
      reason: 'malformed_header',
      message: `${SIGNATURE_HEADER} has no key=value pairs: "${excerpt(header)}"; ${FORMAT}`,
    };
  }
  if (rawTimestamp === undefined || !isDigits(rawTimestamp)) {
    const what =
      rawTimestamp === undefined
        ? 'has no t= timestamp'
        : `has a t= that is not unix seconds: "${excerpt(rawTimestamp, 20)}"`;
    return { reason: 'missing_timestamp', message: `${SIGNATURE_HEADER} ${what}` };
  }
  if (signatures.length === 0) {
    return {
      reason: 'no_signatures',
      message: `${SIGNATURE_HEADER} carries no ${SIGNATURE_SCHEME}= signature (other schemes are ignored)`,
    };
  }
  return { timestamp: Number(rawTimestamp), signatures };
}

export function isHeaderFailure(value: ParsedSignatureHeader | HeaderFailure): value is HeaderFailure {
  return (value as HeaderFailure).reason !== undefined;
}

/**
 * Parses an `X-Pictify-Signature` value.
 * @throws {WebhookVerificationError} missing_header, malformed_header, missing_timestamp or no_signatures.
 */
export function parseSignatureHeader(header: string | null | undefined): ParsedSignatureHeader {
  const parsed = readSignatureHeader(header);
  if (isHeaderFailure(parsed)) throw new WebhookVerificationError(parsed.reason, parsed.message);
  return parsed;
}

/** Node gives a repeated header as an array; joining keeps every v1 of every copy. */
export function joinHeader(header: string | readonly string[] | null | undefined): string | undefined {
  if (header === null || header === undefined) return undefined;
  return Array.isArray(header) ? header.join(',') : (header as string);
}
