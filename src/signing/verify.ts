// THE verify path. listen's judge, the `verify` command, verifyWebhookSignature, constructEvent, the web handler
// and every adapter call verifyDelivery, so the same input gets the same verdict everywhere. It never throws and
// builds a message only on failure; the order is header → signature → timestamp, so `timestamp_*` only ever
// describes a genuine but late (or clock-skewed) delivery, never a forgery.
import { matchingSignature } from './compare.js';
import type { Payload } from './compute.js';
import { statusForReason, WebhookVerificationError, type VerificationReason } from './errors.js';
import { isHeaderFailure, readSignatureHeader } from './header.js';
import { effectiveNow, effectiveTolerance, formatPastLimit } from './tolerance.js';

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

export interface VerifySuccess {
  ok: true;
  /** The header's t, unix seconds. */
  timestamp: number;
  /** Index in the caller's `secrets` of the secret that matched (0 for a single secret). */
  matchedSecretIndex: number;
  /** The v1 values that verified, lowercase hex: with the delivery id, the delivery's idempotency keys. */
  verifiedSignatures: string[];
}

export interface VerifyFailure {
  ok: false;
  reason: VerificationReason;
  /** One line, no advice: what is wrong. */
  message: string;
  /** Suggested HTTP status: 400 malformed or missing, 401 signature or timestamp. */
  status: 400 | 401;
  /** The header's t, when it could be read. */
  timestamp?: number;
}

export type VerifyResult = VerifySuccess | VerifyFailure;

/** A secret as the receiver keeps it: a string, or an entry with a label (listen's subscription secrets). */
export type SecretEntry = string | { readonly secret: string };

function secretAt(secrets: string | readonly SecretEntry[], index: number): string | undefined {
  const entry: unknown = typeof secrets === 'string' ? secrets : secrets[index];
  const secret = typeof entry === 'object' && entry !== null ? (entry as { secret?: unknown }).secret : entry;
  // An unset env var (undefined), an empty string or any other non-secret is skipped: an empty HMAC key would
  // let anyone sign.
  return typeof secret === 'string' && secret.length > 0 ? secret : undefined;
}

function failure(reason: VerificationReason, message: string, timestamp?: number): VerifyFailure {
  const result: VerifyFailure = { ok: false, reason, message, status: statusForReason(reason) };
  if (timestamp !== undefined) result.timestamp = timestamp;
  return result;
}

/**
 * The core: verifies a delivery's raw bytes against its signature header with any of `secrets`, then its
 * timestamp against `nowSeconds` ± `toleranceSeconds` (both already effective values: see effectiveTolerance).
 */
export function verifyDelivery(
  payload: unknown,
  header: unknown,
  secrets: string | readonly SecretEntry[],
  toleranceSeconds: number,
  nowSeconds: number,
): VerifyResult {
  if (typeof payload !== 'string' && !(payload instanceof Uint8Array)) {
    // The classic mistake is passing a body parser's object.
    const got = payload === null ? 'null' : Array.isArray(payload) ? 'array' : typeof payload;
    return failure('invalid_payload', `the payload to verify must be the raw body (string or bytes), got ${got}`);
  }
  const parsed = readSignatureHeader(Array.isArray(header) ? header.join(',') : header);
  if (isHeaderFailure(parsed)) return failure(parsed.reason, parsed.message);
  const { timestamp, signatures } = parsed;

  const count = typeof secrets === 'string' ? 1 : Array.isArray(secrets) ? secrets.length : 0;
  let usable = 0;
  let matchedSecretIndex = -1;
  let verified: string | undefined;
  for (let i = 0; i < count; i++) {
    const secret = secretAt(secrets, i);
    if (secret === undefined) continue;
    usable += 1;
    verified = matchingSignature(signatures, secret, timestamp, payload);
    if (verified !== undefined) {
      matchedSecretIndex = i;
      break;
    }
  }
  if (matchedSecretIndex < 0) {
    const message =
      usable === 0
        ? 'no secret to verify the signature with'
        : `no v1 signature matches the raw body with ${usable === 1 ? 'the secret' : `any of the ${usable} secrets`}`;
    return failure('signature_mismatch', message, timestamp);
  }

  const age = nowSeconds - timestamp;
  if (age > toleranceSeconds) {
    const unit = nowSeconds > 1e11 ? ' (`now` looks like milliseconds; it is unix seconds)' : '';
    const past = formatPastLimit(age, toleranceSeconds);
    return failure('timestamp_too_old', `signed ${past.age} ago; the limit is ${past.limit}${unit}`, timestamp);
  }
  if (-age > toleranceSeconds) {
    const past = formatPastLimit(-age, toleranceSeconds);
    return failure(
      'timestamp_in_future',
      `signature timestamp is ${past.age} in the future; the limit is ${past.limit}`,
      timestamp,
    );
  }
  return { ok: true, timestamp, matchedSecretIndex, verifiedSignatures: [verified!] };
}

/**
 * Verifies a Pictify delivery and says how it went; never throws. `{ ok: true, timestamp, matchedSecretIndex }`
 * or `{ ok: false, reason, message, status }`.
 */
export function verifySignature(options: VerifyOptions): VerifyResult {
  return verifyDelivery(
    options.payload,
    options.header,
    options.secrets,
    effectiveTolerance(options.toleranceSeconds),
    effectiveNow(options.now),
  );
}

/** The same check, throwing: returns the success, or throws WebhookVerificationError with the failure's data. */
export function assertSignature(options: VerifyOptions): VerifySuccess {
  const result = verifySignature(options);
  if (!result.ok) throw toError(result);
  return result;
}

export function toError(failure: VerifyFailure): WebhookVerificationError {
  return new WebhookVerificationError(failure.reason, failure.message, { timestamp: failure.timestamp });
}
