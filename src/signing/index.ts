// The signing core: pure and synchronous (node:crypto only), shared by sign/verify/listen/send/check and the library.
export { decodeJsonBody, InvalidJsonBody } from './body.js';
export { computeSignature, payloadBytes, type Payload } from './compute.js';
export { DEFAULT_TOLERANCE_SECONDS, SECRET_PREFIX, SIGNATURE_HEADER, SIGNATURE_SCHEME } from './constants.js';
export { diagnose, type DiagnoseOptions, type Finding, type FindingCode, type SecretCandidate } from './diagnose.js';
export { statusForReason, VerificationError, WebhookVerificationError, type VerificationReason } from './errors.js';
export {
  isHeaderFailure,
  joinHeader,
  parseSignatureHeader,
  readSignatureHeader,
  type HeaderFailure,
  type ParsedSignatureHeader,
} from './header.js';
export { signPayload, type SignOptions } from './sign.js';
export { effectiveNow, effectiveTolerance } from './tolerance.js';
export {
  assertSignature,
  toError,
  verifyDelivery,
  verifySignature,
  type SecretEntry,
  type VerifyFailure,
  type VerifyOptions,
  type VerifyResult,
  type VerifySuccess,
} from './verify.js';
export { deliveryKeys, DELIVERY_ID_KEY, SIGNATURE_KEY, type DeliveryIdentity } from './delivery-keys.js';
