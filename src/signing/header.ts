import { VerificationError } from '../errors.js';
import { SIGNATURE_HEADER, SIGNATURE_SCHEME } from './constants.js';

export interface ParsedSignatureHeader {
  /** Unix seconds. */
  timestamp: number;
  /** Every non-empty `v1` value, in header order. */
  signatures: string[];
}

const DIGITS = /^\d{1,15}$/; // 15 digits stay below Number.MAX_SAFE_INTEGER
const CANONICAL = /^t=(\d{1,15}),v1=([0-9a-fA-F]{64})$/;

/** Short, single-line excerpt for messages: headers can be attacker-sized. */
export function excerpt(value: string, max = 60): string {
  const oneLine = value.replace(/[\r\n\t]/g, ' ');
  return oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine;
}

const FORMAT_HINT = `${SIGNATURE_HEADER} must look like t=<unix seconds>,v1=<64 hex chars>.`;

/**
 * Parses `t=<unix seconds>,v1=<hex>[,v1=…]`. Spaces around parts are tolerated, unknown schemes (v0=, v2=…) are
 * ignored so Pictify can add schemes, and every v1 is kept so a rotating sender can list several.
 * Throws VerificationError: missing_header, malformed_header, missing_timestamp or no_signatures.
 */
export function parseSignatureHeader(header: string | null | undefined): ParsedSignatureHeader {
  // What Pictify sends, exactly: one regex instead of split/trim/slice per part. Anything else takes the long way.
  if (typeof header === 'string') {
    const m = CANONICAL.exec(header);
    if (m !== null) return { timestamp: Number(m[1]), signatures: [m[2]] };
  }
  if (header !== undefined && header !== null && typeof header !== 'string') {
    // Only reachable from JavaScript callers; still a VerificationError so receivers answer 401, not 500.
    throw new VerificationError('malformed_header', `${SIGNATURE_HEADER} must be a string, got ${typeof header}`, {
      hint: FORMAT_HINT,
    });
  }
  if (header === undefined || header === null || header.trim() === '') {
    throw new VerificationError('missing_header', `No ${SIGNATURE_HEADER} header`, {
      hint: `Pass the ${SIGNATURE_HEADER} header exactly as delivered; check that proxies forward it.`,
    });
  }
  let rawTimestamp: string | undefined;
  const signatures: string[] = [];
  let pairs = 0;
  for (const part of header.split(',')) {
    const item = part.trim();
    if (item === '') continue; // "t=1,,v1=…" or a trailing comma: harmless
    const eq = item.indexOf('=');
    if (eq <= 0) {
      throw new VerificationError(
        'malformed_header',
        `${SIGNATURE_HEADER} is not a list of key=value pairs: "${excerpt(header)}"`,
        {
          hint: FORMAT_HINT,
        },
      );
    }
    pairs += 1;
    const key = item.slice(0, eq).trim();
    const value = item.slice(eq + 1).trim();
    if (key === 't') {
      if (rawTimestamp !== undefined && rawTimestamp !== value) {
        throw new VerificationError('malformed_header', `${SIGNATURE_HEADER} carries two different t= values`, {
          hint: FORMAT_HINT,
        });
      }
      rawTimestamp = value;
    } else if (key === SIGNATURE_SCHEME && value !== '') {
      signatures.push(value);
    }
  }
  if (pairs === 0) {
    throw new VerificationError(
      'malformed_header',
      `${SIGNATURE_HEADER} has no key=value pairs: "${excerpt(header)}"`,
      {
        hint: FORMAT_HINT,
      },
    );
  }
  if (rawTimestamp === undefined || !DIGITS.test(rawTimestamp)) {
    const what =
      rawTimestamp === undefined
        ? 'has no t= timestamp'
        : `has a t= that is not unix seconds: "${excerpt(rawTimestamp, 20)}"`;
    throw new VerificationError('missing_timestamp', `${SIGNATURE_HEADER} ${what}`, { hint: FORMAT_HINT });
  }
  if (signatures.length === 0) {
    throw new VerificationError('no_signatures', `${SIGNATURE_HEADER} carries no ${SIGNATURE_SCHEME}= signature`, {
      hint: `${FORMAT_HINT} Other schemes (v0=, v2=…) are ignored.`,
    });
  }
  return { timestamp: Number(rawTimestamp), signatures };
}

/** Node gives a repeated header as an array; joining keeps every v1 of every copy. */
export function joinHeader(header: string | readonly string[] | null | undefined): string | undefined {
  if (header === null || header === undefined) return undefined;
  return Array.isArray(header) ? header.join(',') : (header as string);
}
