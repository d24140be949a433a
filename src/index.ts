// pictify-hooks as a library: verify and parse Pictify webhook deliveries, or sign your own for tests.
// Only node:crypto is loaded from here, so importing the package into a web server costs next to nothing.
import { VerificationError } from './errors.js';
import { formatFieldErrors, validateEvent } from './events/validate.js';
import type { PictifyEvent } from './events/types.js';
import { payloadBytes, type Payload } from './signing/compute.js';
import { verifySignature } from './signing/verify.js';

export { VerificationError, type VerificationReason } from './errors.js';
export { buildSampleEvent, type BuildSampleOptions } from './events/build.js';
export { EVENT_NAMES, isEventName, type EventName } from './events/names.js';
export type {
  BatchCompletedData,
  BatchCompletedEvent,
  BatchFailedData,
  BatchFailedEvent,
  BatchStatus,
  BindingFailedData,
  BindingFailedEvent,
  BindingUpdatedData,
  BindingUpdatedEvent,
  EventDataMap,
  EventOf,
  JsonObject,
  PictifyEvent,
  PictifyEventEnvelope,
  RenderCompletedData,
  RenderCompletedEvent,
  RenderFailedData,
  RenderFailedEvent,
} from './events/types.js';
export { validateEvent, type FieldError, type ValidationResult } from './events/validate.js';
export { computeSignature, type Payload } from './signing/compute.js';
export { DEFAULT_TOLERANCE_SECONDS, SIGNATURE_HEADER } from './signing/constants.js';
export {
  diagnose,
  type DiagnoseOptions,
  type Finding,
  type FindingCode,
  type SecretCandidate,
} from './signing/diagnose.js';
export { parseSignatureHeader, type ParsedSignatureHeader } from './signing/header.js';
export { signPayload, type SignOptions } from './signing/sign.js';
export { verifySignature, type VerifyOptions, type VerifyResult } from './signing/verify.js';

export interface VerifyWebhookOptions {
  /** Replay window in seconds (default 300). 0, negative or NaN also mean 300; only Infinity disables the check. */
  toleranceSeconds?: number;
  /** Current time in unix SECONDS; defaults to the real clock. */
  now?: number;
}

/**
 * Verifies an `X-Pictify-Signature` header against the raw request body.
 *
 * @param payload The raw body exactly as received (string or Buffer), before any JSON parsing.
 * @param header The header value; Node's `req.headers['x-pictify-signature']` (string, string[] or undefined) works.
 * @param secretOrSecrets The subscription secret (`whsec_…`, prefix included), or several while rotating.
 * @returns `true`. Never returns false: every failure throws.
 * @throws {VerificationError} with a `reason` (missing_header, malformed_header, missing_timestamp,
 *   timestamp_too_old, timestamp_in_future, no_signatures, signature_mismatch, invalid_payload) and a `hint`.
 */
export function verifyWebhookSignature(
  payload: Payload,
  header: string | readonly string[] | null | undefined,
  secretOrSecrets: string | readonly string[],
  options: VerifyWebhookOptions = {},
): true {
  verifySignature({ payload, header, secrets: secretOrSecrets, ...options });
  return true;
}

function parseJson(rawBody: Payload): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(payloadBytes(rawBody));
  } catch {
    throw new VerificationError('invalid_payload', 'The body is not valid UTF-8', {
      hint: 'Pictify sends UTF-8 JSON; check that nothing re-encodes the body before it reaches you.',
    });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? `: ${error.message}` : '';
    throw new VerificationError('invalid_payload', `The body is signed correctly but is not JSON${detail}`, {
      hint: 'The sender signed a non-JSON body; Pictify deliveries are JSON.',
    });
  }
}

/**
 * Verifies a delivery and returns its event: checks the signature over the raw bytes, then parses the JSON, then
 * validates the envelope and the documented fields. Nothing is parsed before the signature is known good.
 *
 * @param rawBody The raw body exactly as received (string or Buffer).
 * @param header The `X-Pictify-Signature` header value.
 * @param secretOrSecrets The subscription secret(s), `whsec_` prefix included.
 * @returns The typed event; switch on `event.event` to narrow `event.data`.
 * @throws {VerificationError} for a bad signature (see verifyWebhookSignature), and with reason `invalid_payload`
 *   when the signed body is not JSON or not a valid Pictify event (the message names the bad fields).
 */
export function constructEvent(
  rawBody: Payload,
  header: string | readonly string[] | null | undefined,
  secretOrSecrets: string | readonly string[],
  options: VerifyWebhookOptions = {},
): PictifyEvent {
  verifySignature({ payload: rawBody, header, secrets: secretOrSecrets, ...options });
  const result = validateEvent(parseJson(rawBody));
  if (!result.ok) {
    throw new VerificationError(
      'invalid_payload',
      `The body is signed correctly but is not a valid Pictify event: ${formatFieldErrors(result.errors)}`,
      {
        hint: 'Compare the body with the documented payload (`pictify-hooks sign <event>` prints a sample).',
      },
    );
  }
  return result.event;
}
