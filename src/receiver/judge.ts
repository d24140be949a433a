// The receiver's judgement, pure: (method, path, headers, raw body, now) → verdict and answer. No I/O, no clock
// of its own, no state (dedupe lives in the adapter), so every row of the check order is unit-testable.
// Order: path 404 → method 405 → content type 415 → size 413 → then signing/verify, the one verify path shared
// with the library (header 400 → signature 401 → timestamp 401) → JSON 400 → validator (warning, or 422 with
// strict) → 200.
import { isUtf8 } from 'node:buffer';
import type { Verdict, VerdictReason } from '../store/event-store-record.js';
import { validateEvent } from '../events/index.js';
import { decodeJsonBody, InvalidJsonBody, unsupportedContentType } from '../signing/body.js';
import { statusForReason, type VerificationReason } from '../signing/errors.js';
import { secretLabel } from '../signing/secret-source.js';
import { verifyDelivery } from '../signing/verify.js';
import { otherSecretFinding, verifyExplained } from '../signing/verify-explained.js';
import type { Answer, CheckOutcome, CheckRules, HeaderMap } from './types.js';
import { isJsonObject } from '../events/json-object.js';

export const RECEIVED_BODY = '{"received":true}';
const DUPLICATE_BODY = '{"received":true,"duplicate":true}';

/** listen's own answers; every verification reason answers what signing/errors suggests. */
const LISTEN_STATUS: Partial<Record<VerdictReason, number>> = {
  path_not_found: 404,
  method_not_allowed: 405,
  unsupported_media_type: 415,
  payload_too_large: 413,
  // --strict: a verified payload that fails the event's validator is understood but refused.
  invalid_payload: 422,
  store_failed: 500,
};

export function statusFor(reason: VerdictReason): number {
  return LISTEN_STATUS[reason] ?? statusForReason(reason as VerificationReason);
}

function header(headers: HeaderMap, name: string): string | undefined {
  const v = headers[name];
  return v === undefined ? undefined : typeof v === 'string' ? v : v.join(',');
}

export function requestPath(url: string | undefined): string {
  if (!url) return '/';
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

function samePath(a: string, b: string): boolean {
  const strip = (p: string) => (p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p);
  return strip(a) === strip(b);
}

export function rejection(
  reason: VerdictReason,
  message: string,
  ids: { event: string | null; deliveryId: string | null },
  extraHeaders?: Record<string, string>,
): CheckOutcome {
  const answer: Answer = { status: statusFor(reason), body: JSON.stringify({ error: reason, message }) };
  if (extraHeaders) answer.headers = extraHeaders;
  return { verdict: { ok: false, reason, message }, answer, event: ids.event, deliveryId: ids.deliveryId };
}

function idsFromHeaders(headers: HeaderMap): { event: string | null; deliveryId: string | null } {
  return {
    event: header(headers, 'x-pictify-event') ?? null,
    deliveryId: header(headers, 'x-pictify-delivery-id') ?? null,
  };
}

/**
 * The checks that need no body: decided before a byte of it is read, so refused requests cost nothing.
 * Returns null when the body should be read.
 */
export function checkRequestHead(
  rules: CheckRules,
  method: string | undefined,
  url: string | undefined,
  headers: HeaderMap,
): CheckOutcome | null {
  if (rules.path !== undefined && !samePath(requestPath(url), rules.path)) {
    return rejection(
      'path_not_found',
      `nothing is listening on ${requestPath(url)}; deliveries go to ${rules.path}`,
      idsFromHeaders(headers),
    );
  }
  if (method !== 'POST') {
    return rejection(
      'method_not_allowed',
      `webhook deliveries are POST requests, got ${method ?? 'no method'}`,
      idsFromHeaders(headers),
      {
        allow: 'POST',
      },
    );
  }
  const mediaType = unsupportedContentType(header(headers, 'content-type'));
  if (mediaType !== undefined) return rejection('unsupported_media_type', mediaType, idsFromHeaders(headers));
  const declared = header(headers, 'content-length');
  if (declared !== undefined && Number(declared) > rules.maxBodyBytes) return tooLarge(rules, headers);
  return null;
}

export function tooLarge(rules: CheckRules, headers: HeaderMap): CheckOutcome {
  return rejection(
    'payload_too_large',
    `the body is larger than the ${rules.maxBodyBytes}-byte limit (--max-body)`,
    idsFromHeaders(headers),
  );
}

/** The checks on a fully read body. `nowMs` is milliseconds since the epoch. */
export function checkBody(rules: CheckRules, headers: HeaderMap, body: Buffer, nowMs: number): CheckOutcome {
  const ids = idsFromHeaders(headers);
  const verified = verifyDelivery(
    body,
    headers['x-pictify-signature'],
    rules.secrets,
    rules.toleranceSeconds,
    nowMs / 1000,
  );
  if (!verified.ok) return rejection(verified.reason, explained(rules, headers, body, nowMs, verified), ids);
  const matched = rules.secrets[verified.matchedSecretIndex];

  // Decoded once: the parser and the stored record (bodyText) share the text.
  const text = isUtf8(body) ? body.toString('utf8') : undefined;
  const payload = decodeJsonBody(text ?? body);
  if (payload instanceof InvalidJsonBody) return rejection('invalid_json', payload.message, ids);

  const data = isJsonObject(payload) && isJsonObject(payload.data) ? payload.data : undefined;
  const event = isJsonObject(payload) && typeof payload.event === 'string' ? payload.event : ids.event;
  const deliveryId = ids.deliveryId ?? (data && typeof data.deliveryId === 'string' ? data.deliveryId : null);

  const warnings = payloadWarnings(payload, ids.event, ids.deliveryId, data);
  if (warnings && rules.strict) {
    const outcome = rejection(
      'invalid_payload',
      `the payload does not match the event's schema: ${warnings.join('; ')}`,
      { event, deliveryId },
    );
    outcome.payload = payload;
    outcome.verdict.warnings = warnings;
    if (matched.source) outcome.verdict.matchedLabel = secretLabel(matched.source);
    return outcome;
  }
  const verdict: Verdict = { ok: true };
  if (matched.source) verdict.matchedLabel = secretLabel(matched.source);
  if (warnings) verdict.warnings = warnings;
  return {
    verdict,
    answer: { status: 200, body: RECEIVED_BODY },
    payload,
    event,
    deliveryId,
    bodyText: text,
    signatures: verified.verifiedSignatures,
  };
}

/**
 * A mismatch that a secret on file (not verifying) would have verified: the rejection says whose it is and why it was
 * not tried, in `verify`'s words (its one diagnosis path). Only then is anything re-computed.
 */
function explained(
  rules: CheckRules,
  headers: HeaderMap,
  body: Buffer,
  nowMs: number,
  failure: { reason: VerificationReason; message: string },
): string {
  if (failure.reason !== 'signature_mismatch' || !rules.knownSecrets?.length) return failure.message;
  const verdict = verifyExplained({
    payload: body,
    header: header(headers, 'x-pictify-signature') ?? '',
    secrets: rules.secrets,
    known: rules.knownSecrets,
    knownNotTriedBecause: rules.knownNotTriedBecause,
    now: nowMs / 1000,
    toleranceSeconds: rules.toleranceSeconds,
  });
  const finding = otherSecretFinding(verdict);
  return finding
    ? `${failure.message}: ${finding.message.charAt(0).toLowerCase()}${finding.message.slice(1)}`
    : failure.message;
}

function payloadWarnings(
  payload: unknown,
  headerEvent: string | null,
  headerDeliveryId: string | null,
  data: Record<string, unknown> | undefined,
): string[] | undefined {
  const result = validateEvent(payload);
  const warnings = result.ok ? [] : result.errors.map((e) => `${e.field}: ${e.message}`);
  const bodyEvent = isJsonObject(payload) ? payload.event : undefined;
  if (headerEvent !== null && typeof bodyEvent === 'string' && bodyEvent !== headerEvent) {
    warnings.push(`X-Pictify-Event says ${headerEvent} but the body says ${bodyEvent}`);
  }
  if (
    headerDeliveryId !== null &&
    data &&
    typeof data.deliveryId === 'string' &&
    data.deliveryId !== headerDeliveryId
  ) {
    warnings.push(`X-Pictify-Delivery-Id ${headerDeliveryId} differs from data.deliveryId ${data.deliveryId}`);
  }
  return warnings.length > 0 ? warnings : undefined;
}

/** The whole check for a request whose body is already in memory (the adapter streams instead). */
export function checkDelivery(
  rules: CheckRules,
  request: { method: string; url: string; headers: HeaderMap; body: Buffer },
  nowMs: number,
): CheckOutcome {
  const head = checkRequestHead(rules, request.method, request.url, request.headers);
  if (head) return head;
  if (request.body.length > rules.maxBodyBytes) return tooLarge(rules, request.headers);
  return checkBody(rules, request.headers, request.body, nowMs);
}

/** The answer to a verified delivery seen before: accepted again, not processed again. */
const IGNORED_BODY = '{"received":true,"ignored":true}';

/** A verified delivery of an event the receiver was told not to take (listen --events): 200, not passed on. */
export function ignoredOutcome(outcome: CheckOutcome): CheckOutcome {
  return {
    ...outcome,
    verdict: { ...outcome.verdict, ignored: true },
    answer: { status: 200, body: IGNORED_BODY },
  };
}

export function duplicateOutcome(outcome: CheckOutcome): CheckOutcome {
  return {
    ...outcome,
    verdict: { ...outcome.verdict, duplicate: true },
    answer: { status: 200, body: DUPLICATE_BODY },
  };
}
