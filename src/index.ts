// pictify-hooks as a library: verify and parse Pictify webhook deliveries, answer them from a web-standard handler
// (adapters for Express, Fastify, Next.js, Hono and node:http are subpaths), or sign your own for tests.
// Only node:crypto and node:buffer are loaded from here — never the CLI, commander, undici, chalk, ora or conf.
export { acknowledge, isAcknowledged, AcknowledgedError } from './adapters/acknowledge.js';
export {
  DEFAULT_MAX_BODY_BYTES,
  type DeliveryContext,
  type ErrorInfo,
  type Enqueue,
  type EventHandlers,
  type VerifiedDelivery,
  type WebhookHandlerOptions,
} from './adapters/core.js';
export {
  DEFAULT_LEASE_MS,
  DEFAULT_RETENTION_MS,
  type ClaimResult,
  type DedupeStore,
  type DedupeTimes,
  type SqlTransaction,
} from './adapters/claim.js';
export type { DedupeOption } from './adapters/dedupe.js';
export { memoryDedupe, DEFAULT_MEMORY_KEYS, type MemoryDedupeOptions } from './adapters/stores/memory.js';
export { deliveryKeys, type DeliveryIdentity } from './signing/delivery-keys.js';
export { constructEvent, verifyWebhookSignature, type VerifyWebhookOptions } from './adapters/event.js';
export { createWebhookHandler } from './adapters/web.js';
export { buildSampleEvent, type BuildSampleOptions } from './events/build.js';
export { EVENT_NAMES, isEventName, type EventName } from './events/names.js';
// Every event's payload and envelope types (RenderCompletedData, RenderCompletedEvent…), named by the catalogue.
export type * from './events/types.js';
/** The name Pictify's docs use for an event in handler code. */
export type { PictifyEvent as WebhookEvent } from './events/types.js';
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
export {
  statusForReason,
  VerificationError,
  WebhookVerificationError,
  type VerificationReason,
} from './signing/errors.js';
export { parseSignatureHeader, type ParsedSignatureHeader } from './signing/header.js';
export { signPayload, type SignOptions } from './signing/sign.js';
export {
  verifySignature,
  type VerifyFailure,
  type VerifyOptions,
  type VerifyResult,
  type VerifySuccess,
} from './signing/verify.js';
