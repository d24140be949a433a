import { VerificationError } from '../errors.js';
import { anySignatureMatches } from './compare.js';
import type { Payload } from './compute.js';
import { SIGNATURE_HEADER } from './constants.js';
import { joinHeader, parseSignatureHeader } from './header.js';
import { effectiveNow, effectiveTolerance, formatSeconds } from './tolerance.js';

export interface VerifyOptions {
  /** The raw body, exactly as received. Re-serialized JSON will not verify. */
  payload: Payload;
  /** The X-Pictify-Signature value; Node's `req.headers[...]` shape (string, string[] or undefined) is accepted. */
  header: string | readonly string[] | null | undefined;
  /** Accepts when any v1 matches any of these (rotation: old and new secret). */
  secrets: string | readonly string[];
  /** Replay window in seconds. undefined, 0, negative or NaN mean 300; only Infinity disables the check. */
  toleranceSeconds?: number;
  /** Current time in unix SECONDS (not milliseconds). Defaults to the real clock. */
  now?: number;
}

export interface VerifyResult {
  /** The header's t, unix seconds. */
  timestamp: number;
  /** Index in `secrets` of the secret that matched. */
  matchedSecretIndex: number;
  matchedSecret: string;
}

/** Non-empty secrets with their index in the caller's list (so matchedSecretIndex refers to that list). */
function usableSecrets(secrets: string | readonly string[]): Array<{ secret: string; index: number }> {
  // One secret is the common case: no arrays on the hot path.
  if (typeof secrets === 'string') return secrets.length > 0 ? [{ secret: secrets, index: 0 }] : [];
  // An unset env var (undefined) or any other non-secret fails closed, as a VerificationError, never a TypeError.
  const list: unknown[] = Array.isArray(secrets) ? [...secrets] : [];
  return list
    .map((secret, index) => ({ secret, index }))
    .filter((s): s is { secret: string; index: number } => typeof s.secret === 'string' && s.secret.length > 0);
}

/**
 * Verifies a Pictify delivery: the signature over the raw bytes first, then the timestamp window, so that
 * `timestamp_*` errors only ever describe genuine but late (or clock-skewed) deliveries.
 * Returns which secret matched; throws VerificationError for every failure, never another error type.
 */
export function verifySignature(options: VerifyOptions): VerifyResult {
  assertRawPayload(options.payload);
  const { timestamp, signatures } = parseSignatureHeader(joinHeader(options.header));
  const secrets = usableSecrets(options.secrets);
  if (secrets.length === 0) {
    // Fail closed: an empty key would let anyone forge deliveries.
    throw new VerificationError('signature_mismatch', 'No secret to verify the signature with', {
      hint: 'Pass the subscription secret (whsec_…), e.g. with --secret or PICTIFY_WEBHOOK_SECRET.',
    });
  }

  let match: { secret: string; index: number } | undefined;
  for (const candidate of secrets) {
    if (anySignatureMatches(signatures, candidate.secret, timestamp, options.payload)) {
      match = candidate;
      break;
    }
  }
  if (match === undefined) {
    throw new VerificationError(
      'signature_mismatch',
      `No ${SIGNATURE_HEADER} v1 signature matches the payload with the given secret${secrets.length > 1 ? 's' : ''}`,
      {
        hint:
          'Verify the raw request body (not re-parsed JSON) with the full subscription secret, whsec_ prefix ' +
          'included; `pictify-hooks verify` explains what differs.',
      },
    );
  }

  const tolerance = effectiveTolerance(options.toleranceSeconds);
  const now = effectiveNow(options.now);
  const age = now - timestamp;
  if (age > tolerance) {
    throw new VerificationError(
      'timestamp_too_old',
      `Signature timestamp is ${formatSeconds(age)} old; the limit is ${formatSeconds(tolerance)}`,
      { hint: tooOldHint(now) },
    );
  }
  if (-age > tolerance) {
    throw new VerificationError(
      'timestamp_in_future',
      `Signature timestamp is ${formatSeconds(-age)} in the future; the limit is ${formatSeconds(tolerance)}`,
      { hint: "The sender's clock or this machine's clock is wrong: synchronise them (NTP)." },
    );
  }
  return { timestamp, matchedSecretIndex: match.index, matchedSecret: match.secret };
}

/** The classic mistake is passing a body-parser's object; catch it with a VerificationError, not a TypeError. */
function assertRawPayload(payload: unknown): asserts payload is Payload {
  if (typeof payload === 'string' || payload instanceof Uint8Array) return;
  const got = payload === null ? 'null' : Array.isArray(payload) ? 'array' : typeof payload;
  throw new VerificationError(
    'invalid_payload',
    `The payload to verify must be the raw body (string or bytes), got ${got}`,
    {
      hint: 'Read the body unparsed (e.g. express.raw({ type: "application/json" })) and verify those bytes before JSON.parse.',
    },
  );
}

function tooOldHint(now: number): string {
  // A `now` in milliseconds (Date.now()) makes every delivery look decades old: say so instead of blaming the sender.
  if (now > 1e11) return '`now` must be unix seconds; the value given looks like milliseconds (divide by 1000).';
  return (
    "Replays and long-queued deliveries are rejected: send the event again, check this machine's clock (NTP), " +
    'or widen the window for testing with --tolerance.'
  );
}
