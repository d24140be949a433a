// The local receiver behind `listen`, also started in-process by `demo` and the `check` tests.
export {
  startReceiver,
  DEFAULT_FORWARD_TIMEOUT_MS,
  DEFAULT_MAX_BODY_BYTES,
  type ReceiverOptions,
  type ReceiverStats,
  type RunningReceiver,
} from './server.js';
export { checkBody, checkDelivery, checkRequestHead, duplicateOutcome, RECEIVED_BODY, statusFor } from './judge.js';
export { isJsonContentType } from '../signing/body.js';
export { DeliveryDedupe, DEFAULT_DEDUPE_SIZE } from './dedupe.js';
export { matchesGlob, Router, type Route } from './route.js';
export { describeDelivery, type DeliveryLine } from './describe.js';
export type { Answer, CheckOutcome, CheckRules, HeaderMap } from './types.js';
