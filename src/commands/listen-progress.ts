// What --exit-after and --wait-for count, and the error listen ends with when the app behind --forward-to refused
// deliveries that verified.
import { FailureError } from '../cli/errors.js';
import type { EventRecord } from '../store/event-store-record.js';
import type { ListenOptions } from './listen-options.js';

/**
 * What --exit-after and --wait-for count: verified deliveries (not duplicates, not ones the store failed to
 * keep). One the app refused counts too, and is remembered, so listen ends on time and blames the app.
 */
export class Progress {
  verified = 0;
  readonly #appFailures: NonNullable<EventRecord['forward']>[] = [];
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
    if (fwd && (fwd.status === undefined || fwd.status >= 300)) this.#appFailures.push(fwd);
    else if (record.status >= 300) return;
    this.verified += 1;
    const { exitAfter, waitFor } = this.#options;
    if (exitAfter !== undefined && this.verified >= exitAfter) this.#done();
    if (waitFor !== undefined && record.event !== null && this.#matches(waitFor, record.event)) this.#done();
  }

  throwIfAppFailed(): void {
    if (this.#appFailures.length > 0) throw appFailed(this.verified, this.#appFailures);
  }
}

/** "6 deliveries verified, but your app at http://… answered 400 to all of them". */
function appFailed(verified: number, failures: NonNullable<EventRecord['forward']>[]): FailureError {
  const urls = [...new Set(failures.map((f) => f.url))];
  const statuses = [...new Set(failures.filter((f) => f.status !== undefined).map((f) => String(f.status)))];
  const unreachable = failures.filter((f) => f.status === undefined);
  const share = failures.length === verified ? 'all of them' : `${failures.length} of them`;
  const answered = [
    statuses.length > 0 ? `answered ${statuses.join(', ')}` : '',
    unreachable.length > 0 ? `could not be reached (${unreachable[0]!.error ?? 'no answer'})` : '',
  ]
    .filter(Boolean)
    .join(' or ');
  const n = verified === 1 ? '1 delivery' : `${verified} deliveries`;
  return new FailureError(`${n} verified, but your app at ${urls.join(', ')} ${answered} to ${share}`, {
    hint: "the signatures were fine; listen passed your app's answer on to the sender — look at your app's log",
  });
}
