// Abort plumbing shared by the request core: Ctrl-C must end a request or a retry wait at once.

import { setTimeout as delay } from 'node:timers/promises';

/** The injected sleep may not know about signals; racing it keeps Ctrl-C instant during a long Retry-After. */
export function abortable(promise: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

/** AbortSignal.any arrived in Node 20.3; engines says >=20, so older 20.x get the hand-rolled version. */
export function anySignal(a: AbortSignal, b: AbortSignal): AbortSignal {
  if (typeof AbortSignal.any === 'function') return AbortSignal.any([a, b]);
  const controller = new AbortController();
  for (const s of [a, b]) {
    if (s.aborted) controller.abort(s.reason);
    else s.addEventListener('abort', () => controller.abort(s.reason), { once: true });
  }
  return controller.signal;
}

/** Real waits keep the process alive (unlike an unref'd timer) and stop when the signal fires. */
export const defaultSleep = (ms: number, signal?: AbortSignal) => delay(ms, undefined, { signal });
