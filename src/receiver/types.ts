import type { SourcedSecret } from '../signing/secret-source.js';
import type { Verdict } from '../store/event-store-record.js';

/** What the pure check needs to decide on a request. */
export interface CheckRules {
  /** When set, only this path is accepted (query strings are ignored). */
  path?: string;
  secrets: readonly SourcedSecret[];
  /**
   * Secrets on file that are not verifying (PICTIFY_WEBHOOK_SECRET or --secret replaced them): a signature mismatch
   * one of them explains says so, as `verify` does.
   */
  knownSecrets?: readonly SourcedSecret[];
  /** Why the known secrets are not verifying, for that sentence (default: PICTIFY_WEBHOOK_SECRET overrides them). */
  knownNotTriedBecause?: string;
  toleranceSeconds: number;
  maxBodyBytes: number;
  /** Reject (422) verified payloads that fail the event's validator instead of accepting them with a warning. */
  strict: boolean;
}

export type HeaderMap = Record<string, string | string[] | undefined>;

export interface Answer {
  status: number;
  /** JSON text. */
  body: string;
  headers?: Record<string, string>;
}

export interface CheckOutcome {
  verdict: Verdict;
  answer: Answer;
  /** The parsed body, when it was JSON. */
  payload?: unknown;
  /** The body as text, when it was decoded as UTF-8 to be parsed (the record reuses it instead of decoding again). */
  bodyText?: string;
  event: string | null;
  deliveryId: string | null;
  /** The v1 values that verified (a verified outcome's signature keys). */
  signatures?: string[];
}
