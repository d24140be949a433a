// Real Pictify → localhost: tunnel engines as child processes and the temporary subscriptions of `listen --subscribe`.
export { TunnelError, type TunnelFailure } from './errors.js';
export { SubscribeSession, DEFAULT_SUBSCRIBE_PATH, type TunnelChoice, type SessionOptions } from './session.js';
export { SelfTest, SELF_TEST_HEADER, isSelfTest, type SelfTestResult } from './self-test.js';
export { startTunnel, DEFAULT_TUNNEL_TIMEOUT_MS, type RunningTunnel } from './start.js';
export {
  classifyTemporary,
  deleteTemporary,
  isProcessRunning,
  stopOrphanTunnel,
  temporaryEntries,
  type TemporaryEntry,
} from './temporary.js';
export { writeEnvSecret, withEnvLine } from './env-file.js';
