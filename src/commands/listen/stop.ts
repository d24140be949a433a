// How a listen ends: the first of --exit-after/--wait-for ('done'), --timeout, Ctrl-C, SIGTERM, the tunnel dying
// or the ready file failing to be written. The one place the stop reason, the abort signal the tunnel's start
// watches, the --timeout timer and the signal handlers live.
import type { Context } from '../../cli/context.js';

export type StopReason = 'done' | 'timeout' | 'sigint' | 'sigterm' | 'tunnel' | 'ready-file';

export class ListenStop {
  /** The first reason given; later ones change nothing. */
  readonly stopped: Promise<StopReason>;
  readonly #aborted = new AbortController();
  #resolve!: (reason: StopReason) => void;
  #unsubscribe: Array<() => void> = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #cleaningUp = false;
  #toldStillCleaning = false;

  constructor() {
    this.stopped = new Promise<StopReason>((resolve) => (this.#resolve = resolve));
    void this.stopped.then(() => this.#aborted.abort());
  }

  /** Stop listen (a bound function: handed to the progress counter and the tunnel as it is). */
  readonly stop = (reason: StopReason): void => this.#resolve(reason);

  /** Aborted once listen is stopping: a tunnel still starting gives up, and Ready is never printed. */
  get signal(): AbortSignal {
    return this.#aborted.signal;
  }

  /**
   * Ctrl-C and SIGTERM stop listen. The handlers stay until the cleanup is over: without one, a second Ctrl-C would
   * take Node's default action and kill listen halfway through deleting its temporary subscriptions (say, while it
   * waits for the config lock). With `hasTemporarySubscriptions`, a signal during the cleanup says so once.
   */
  watchSignals(ctx: Context, hasTemporarySubscriptions: boolean): void {
    const onStopSignal = (why: StopReason) => () => {
      if (this.#cleaningUp && hasTemporarySubscriptions && !this.#toldStillCleaning) {
        this.#toldStillCleaning = true;
        ctx.err(
          'still deleting the temporary subscriptions; this finishes by itself (kill -9 leaves them to `cleanup`)',
        );
      }
      this.stop(why);
    };
    this.#unsubscribe = [
      ctx.onSignal('SIGINT', onStopSignal('sigint')),
      ctx.onSignal('SIGTERM', onStopSignal('sigterm')),
    ];
  }

  /** --timeout: stop with 'timeout' after this long (no timer without it). */
  startTimer(timeoutMs: number | undefined): void {
    if (timeoutMs !== undefined) this.#timer = setTimeout(() => this.stop('timeout'), timeoutMs);
  }

  /** The cleanup begins: the timer goes, the signal handlers stay (see watchSignals). */
  beginCleanup(): void {
    this.#cleaningUp = true;
    this.#clearTimer();
  }

  /** The last step: the timer and the signal handlers go. */
  release(): void {
    this.#clearTimer();
    for (const off of this.#unsubscribe) off();
    this.#unsubscribe = [];
  }

  #clearTimer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
