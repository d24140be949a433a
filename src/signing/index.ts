// The signing core: pure and synchronous (node:crypto only), shared by sign/verify/listen/send/check and the library.
export { computeSignature, payloadBytes, type Payload } from './compute.js';
export { DEFAULT_TOLERANCE_SECONDS, SECRET_PREFIX, SIGNATURE_HEADER, SIGNATURE_SCHEME } from './constants.js';
export { diagnose, type DiagnoseOptions, type Finding, type FindingCode, type SecretCandidate } from './diagnose.js';
export { joinHeader, parseSignatureHeader, type ParsedSignatureHeader } from './header.js';
export { signPayload, type SignOptions } from './sign.js';
export { effectiveTolerance } from './tolerance.js';
export { verifySignature, type VerifyOptions, type VerifyResult } from './verify.js';
