// What `onError` does when it is not given: a failure on the receiving side (a handler that threw, a store or a
// queue that failed, a mark that could not be written) goes to stderr, so a 500 is never silent. A delivery the
// sender got wrong (a WebhookVerificationError: bad signature, stale timestamp, bad JSON) is not logged: it is the
// sender's to fix, the answer says why, and a flood of forged requests must not become a flood of log lines.
import { printable } from '../text/printable.js';
import { WebhookVerificationError } from '../signing/errors.js';

export interface FailureInfo {
  status: number;
  deliveryId: string | null;
  /** Set by pictifyWorker: the run of a job, which answers nobody. */
  jobId?: string | undefined;
}

export function logFailure(error: unknown, info: FailureInfo): void {
  if (error instanceof WebhookVerificationError) return;
  // The delivery id is a header the signature does not cover: shown escaped, like every untrusted text we print.
  const id = info.deliveryId === null ? '(no delivery id)' : printable(info.deliveryId);
  const where = 'jobId' in info ? `job ${printable(String(info.jobId))}` : `answered ${info.status}`;
  console.error(`pictify-hooks: delivery ${id} (${where}):`, error);
}

/**
 * How an adapter or the worker tells about a failure: to `onError`, else to logFailure; an acknowledged error (the
 * handler said not to retry: not a failure) only to `onError`. What onError throws is swallowed: a logging failure
 * must not change the answer.
 */
export function reporter<I extends FailureInfo>(
  onError: ((error: unknown, info: I) => void | Promise<void>) | undefined,
): (error: unknown, info: I, acknowledged?: boolean) => Promise<void> {
  return async (error, info, acknowledged = false) => {
    if (acknowledged && onError === undefined) return;
    try {
      await (onError ?? logFailure)(error, info);
    } catch {
      // Ignored, as documented for onError.
    }
  };
}
