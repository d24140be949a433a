// The idempotency contract of the library: an atomic claim on a delivery's keys (deliveryKeys: its verified v1
// values and its delivery id). Pictify delivers at least once and retries for 26 h 36 min, and anyone who saw a
// delivery can resend its signed bytes under a fresh X-Pictify-Delivery-Id, so "have I seen this id?" followed by
// "remember it" is not enough: two instances asking at the same moment both hear "no". A claim decides in one step.
import { randomUUID } from 'node:crypto';

/** Pictify's retries span 26 h 36 min after the first attempt; a day and three hours covers them. */
export const DEFAULT_RETENTION_MS = 27 * 60 * 60 * 1000;
/** About as long as Pictify waits for an answer: a claimant that died is replaced by the next retry (1 min). */
export const DEFAULT_LEASE_MS = 30 * 1000;
/**
 * How long one claim, completion or release (and bullmqEnqueue's add) may take before it counts as failed: an
 * unreachable Redis (ioredis queues commands until it reconnects, with `maxRetriesPerRequest: null` for ever) or a
 * stuck PostgreSQL then gets a 5xx well inside Pictify's 30 s, instead of a request that hangs past it.
 */
export const DEFAULT_TIMEOUT_MS = 10 * 1000;

/**
 * `new`: yours to run (complete or release it with `token`); `in_flight`: another copy holds a live lease;
 * `duplicate`: a copy already completed within the retention.
 */
export type ClaimResult = { status: 'new'; token: string } | { status: 'in_flight' } | { status: 'duplicate' };

/** A SQL client inside the transaction that also marks the delivery completed (postgresDedupe). */
export interface SqlTransaction {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[]; rowCount: number | null }>;
}

/**
 * Where claims live. Every method covers all of the delivery's keys at once: a claim takes all of them or none.
 * The memory store is the default (per process); `pictify-hooks/redis` and `pictify-hooks/postgres` share claims
 * between instances.
 */
export interface DedupeStore {
  /** Takes every key for `leaseMs` unless one is completed (duplicate) or leased by another claimant (in_flight). */
  claim(keys: readonly string[], leaseMs: number): ClaimResult | Promise<ClaimResult>;
  /** Marks the keys completed for `retentionMs`, where they are still this token's (or free). */
  complete(keys: readonly string[], token: string, retentionMs: number): void | Promise<void>;
  /** Frees the keys this token still holds, so the next copy may run. */
  release(keys: readonly string[], token: string): void | Promise<void>;
  /**
   * Extends this token's lease to `leaseMs` from now while its copy still runs; false when the token no longer
   * holds it (it ran out and another copy took it, or it was completed or released). A store without it lets a run
   * longer than the lease be taken over by the next copy, which then runs too.
   */
  renew?(keys: readonly string[], token: string, leaseMs: number): boolean | Promise<boolean>;
  /**
   * Runs `work` inside a transaction that ends by completing the claim, and commits both together — or neither.
   * Only stores that have transactions offer it (postgresDedupe); handlers then get `ctx.transaction`.
   */
  completeWithin?(
    keys: readonly string[],
    token: string,
    retentionMs: number,
    work: (transaction: SqlTransaction) => Promise<void>,
  ): Promise<void>;
  /** This store's lease, retention and operation timeout (see DEFAULT_LEASE_MS and the others above). */
  readonly leaseMs?: number;
  readonly retentionMs?: number;
  readonly timeoutMs?: number;
}

export interface DedupeTimes {
  /** How long a claim holds while its copy runs (default 30 s); past it, a later copy may run. */
  leaseMs?: number;
  /** How long a completed delivery is remembered (default 27 h, the retry span). */
  retentionMs?: number;
  /** How long one claim, completion or release may take before it counts as failed (default 10 s). */
  timeoutMs?: number;
}

/** A positive, finite number of milliseconds, else the default. */
export function durationOr(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.ceil(value) : fallback;
}

export function leaseOf(store: DedupeStore): number {
  return durationOr(store.leaseMs, DEFAULT_LEASE_MS);
}

export function retentionOf(store: DedupeStore): number {
  return durationOr(store.retentionMs, DEFAULT_RETENTION_MS);
}

export function timeoutOf(store: DedupeStore): number {
  return durationOr(store.timeoutMs, DEFAULT_TIMEOUT_MS);
}

/** An operation of a store or a queue that did not finish in time; it may still finish later (see `bounded`). */
export class TimedOutError extends Error {
  readonly code = 'PICTIFY_TIMED_OUT';
  constructor(
    readonly operation: string,
    readonly timeoutMs: number,
  ) {
    super(`pictify-hooks: ${operation} did not finish within ${timeoutMs} ms`);
    this.name = 'TimedOutError';
  }
}

/**
 * `work`'s result, or a TimedOutError after `timeoutMs`. The work itself cannot be cancelled and may still finish:
 * a claim that lands late is a lease nobody completes (it runs out, and the retry takes it over); an add that lands
 * late is a job whose retry adds the same jobId again, a no-op. A synchronous result (the memory store) is taken
 * as it is.
 */
export function bounded<T>(work: T | PromiseLike<T>, timeoutMs: number, operation: string): T | Promise<T> {
  // Any thenable, not only a native Promise: DedupeStore is public, and a store of the user's may return another kind.
  if (typeof (work as PromiseLike<T> | null)?.then !== 'function') return work as T;
  const pending = work as PromiseLike<T>;
  // One promise and one timer per operation (a receiver makes three per delivery): no race, no finally.
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new TimedOutError(operation, timeoutMs)), timeoutMs);
    pending.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

export const newToken = (): string => randomUUID();
