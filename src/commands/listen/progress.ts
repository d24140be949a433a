// What --exit-after and --wait-for count, and the error listen ends with when the app behind --forward-to refused
// deliveries that verified.
import { FailureError } from '../../cli/errors.js';
import type { EventRecord } from '../../store/event-store-record.js';
import type { ListenOptions } from './options.js';

type ForwardRecord = NonNullable<EventRecord['forward']>;

/**
 * What the closing error says about the app's refusals, kept as a tally rather than the records themselves: a
 * listen left running for days in front of a broken app would otherwise hold every refused answer (up to 4 KiB
 * each). URLs come from --forward-to/--route and statuses are HTTP codes, so both sets stay small.
 */
interface AppFailures {
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

  throwIfAppFailed(): void {
    if (this.#appFailures.count > 0) throw appFailed(this.verified, this.#appFailures);
  }

  #tallyAppFailure(fwd: ForwardRecord): void {
    const tally = this.#appFailures;
    tally.count += 1;
    tally.urls.add(fwd.url);
    if (fwd.status !== undefined) tally.statuses.add(fwd.status);
    else tally.unreachable ??= fwd.error || 'no answer';
  }
}

/** "6 deliveries verified, but your app at http://… answered 400 to all of them". */
function appFailed(verified: number, failures: AppFailures): FailureError {
  const share = failures.count === verified ? 'all of them' : `${failures.count} of them`;
  const answered = [
    failures.statuses.size > 0 ? `answered ${[...failures.statuses].join(', ')}` : '',
    failures.unreachable ? `could not be reached (${failures.unreachable})` : '',
  ]
    .filter(Boolean)
    .join(' or ');
  const n = verified === 1 ? '1 delivery' : `${verified} deliveries`;
  return new FailureError(`${n} verified, but your app at ${[...failures.urls].join(', ')} ${answered} to ${share}`, {
    hint: "the signatures were fine; listen passed your app's answer on to the sender — look at your app's log",
  });
}
