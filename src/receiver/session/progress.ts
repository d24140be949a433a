// What --exit-after and --wait-for count, and the tally of the deliveries the app behind --forward-to refused
// (listen's command turns it into the error it ends with).
import type { EventRecord } from '../../store/event-store-record.js';
import type { ListenOptions } from './options.js';

type ForwardRecord = NonNullable<EventRecord['forward']>;

/**
 * What the closing error says about the app's refusals, kept as a tally rather than the records themselves: a
 * listen left running for days in front of a broken app would otherwise hold every refused answer (up to 4 KiB
 * each). URLs come from --forward-to/--route and statuses are HTTP codes, so both sets stay small.
 */
export interface AppFailures {
  count: number;
  urls: Set<string>;
  statuses: Set<number>;
  /** Why the first refusal that got no answer at all got none: quoted in the error. */
  unreachable: string | undefined;
}

/**
 * What --exit-after and --wait-for count: verified deliveries (not duplicates, not ones the store failed to
 * keep). One the app refused counts too, and is remembered, so listen ends on time and blames the app.
 */
export class Progress {
  verified = 0;
  readonly #appFailures: AppFailures = { count: 0, urls: new Set(), statuses: new Set(), unreachable: undefined };
  readonly #options: ListenOptions;
  readonly #matches: (glob: string, event: string) => boolean;
  readonly #done: () => void;

  constructor(options: ListenOptions, matches: (glob: string, event: string) => boolean, done: () => void) {
    this.#options = options;
    this.#matches = matches;
    this.#done = done;
  }

  note(record: EventRecord): void {
    if (!record.verdict.ok || record.verdict.duplicate || record.verdict.ignored) return;
    const fwd = record.forward;
    if (fwd && (fwd.status === undefined || fwd.status >= 300)) this.#tallyAppFailure(fwd);
    else if (record.status >= 300) return;
    this.verified += 1;
    const { exitAfter, waitFor } = this.#options;
    if (exitAfter !== undefined && this.verified >= exitAfter) this.#done();
    if (waitFor !== undefined && record.event !== null && this.#matches(waitFor, record.event)) this.#done();
  }

  /** The app's refusals of verified deliveries, if there were any. */
  appFailures(): AppFailures | undefined {
    return this.#appFailures.count > 0 ? this.#appFailures : undefined;
  }

  #tallyAppFailure(fwd: ForwardRecord): void {
    const tally = this.#appFailures;
    tally.count += 1;
    tally.urls.add(fwd.url);
    if (fwd.status !== undefined) tally.statuses.add(fwd.status);
    else tally.unreachable ??= fwd.error || 'no answer';
  }
}
