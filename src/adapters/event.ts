// Verified bytes → typed event, shared by constructEvent and the web handler. Nothing is parsed before the
// signature is known good, and the JSON rule is the one listen's judge applies (signing/body).
import { formatFieldErrors, validateEvent } from '../events/validate.js';
import type { PictifyEvent } from '../events/types.js';
import { decodeJsonBody, InvalidJsonBody } from '../signing/body.js';
import type { Payload } from '../signing/compute.js';
import { WebhookVerificationError } from '../signing/errors.js';
import { toError, verifySignature } from '../signing/verify.js';

export interface VerifyWebhookOptions {
  /** Replay window in seconds (default 300). 0, negative or NaN also mean 300; only Infinity disables the check. */
  toleranceSeconds?: number;
  /** Current time in unix SECONDS; defaults to the real clock. */
  now?: number;
}

type Header = string | readonly string[] | null | undefined;

/** Parses and validates a body whose signature already verified; throws WebhookVerificationError. */
export function readVerifiedEvent(rawBody: Payload): PictifyEvent {
  const json = decodeJsonBody(rawBody);
  if (json instanceof InvalidJsonBody) {
    throw new WebhookVerificationError('invalid_json', `the body is signed correctly, but ${json.message}`);
  }
  const result = validateEvent(json);
  if (!result.ok) {
    throw new WebhookVerificationError(
      'invalid_payload',
      `the body is signed correctly but is not a valid Pictify event: ${formatFieldErrors(result.errors)}`,
    );
  }
  return result.event;
}

/**
 * Verifies an `X-Pictify-Signature` header against the raw request body — a drop-in for the helper in Pictify's
 * docs. Returns false for every bad input (missing or malformed header, short or non-hex v1, stale or future
 * timestamp, wrong secret, tampered body, a parsed object instead of the raw body) and never throws.
 * `verifySignature` says why; `constructEvent` also parses.
 *
 * @param payload The raw body exactly as received (string or bytes), before any JSON parsing.
 * @param header The header value; Node's `req.headers['x-pictify-signature']` (string, string[] or undefined) works.
 * @param secretOrSecrets The subscription secret (`whsec_…`, prefix included), or several while rotating.
 */
export function verifyWebhookSignature(
  payload: Payload,
  header: Header,
  secretOrSecrets: string | readonly string[],
  options: VerifyWebhookOptions = {},
): boolean {
  try {
    return verifySignature({ payload, header, secrets: secretOrSecrets, ...options }).ok;
  } catch {
    // verifySignature does not throw; this guards the promise against exotic inputs (a throwing getter, a Proxy).
    return false;
  }
}

/**
 * Verifies a delivery and returns its event: the signature over the raw bytes, then the JSON, then the envelope
 * and the documented fields.
 *
 * @returns The typed event; switch on `event.event` to narrow `event.data`.
 * @throws {WebhookVerificationError} with `reason` (missing_header, malformed_header, missing_timestamp,
 *   no_signatures, signature_mismatch, timestamp_too_old, timestamp_in_future; invalid_json or invalid_payload
 *   for a signed body that is not JSON or not a Pictify event) and the suggested HTTP `status` (400 or 401).
 */
export function constructEvent(
  rawBody: Payload,
  header: Header,
  secretOrSecrets: string | readonly string[],
  options: VerifyWebhookOptions = {},
): PictifyEvent {
  const verified = verifySignature({ payload: rawBody, header, secrets: secretOrSecrets, ...options });
  if (!verified.ok) throw toError(verified);
  return readVerifiedEvent(rawBody);
}
