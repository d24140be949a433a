// Delivery as Pictify documents it: the raw JSON body signed with the subscription's secret, 30 s to answer 2xx,
// retries after 1 min, 5 min, 30 min, 2 h and 24 h (times --retry-scale), then the subscription is paused.
//
// Counting: attempt 1 is the initial POST; each delay above precedes one retry (attempts 2–6), measured from
// the previous failure. When the fifth retry (sixth attempt) fails the delivery is `failed`, the subscription's
// status becomes `paused` and its lastDelivery shows status `failed`. Each attempt is re-signed with a fresh
// timestamp (a 24 h old one would be rejected) but sends the same bytes and the same delivery id.
import type { Dispatcher } from 'undici';
import { buildDelivery, newDeliveryId } from '../outbound/build.js';
import { createDeliveryAgent, postDelivery, type PostResult } from '../outbound/post.js';
import { matchingSubscriptions } from './filters.js';
import type { EmulatorStore } from './store.js';
import type { AttemptStatus, DeliveryAttempt, DeliveryJob, StoredSubscription } from './types.js';
import { ANSWER_WINDOW_MS } from '../api/contract.js';

export const RETRY_DELAYS_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 24 * 3_600_000] as const;
export const MAX_ATTEMPTS = 1 + RETRY_DELAYS_MS.length;
export const DELIVERY_TIMEOUT_MS = ANSWER_WINDOW_MS;
const MAX_RESPONSE_CHARS = 500;
/** setTimeout overflows above ~24.8 days; longer waits (a large --retry-scale) are taken in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface DeliveryEngineOptions {
  store: EmulatorStore;
  retryScale: number;
  timeoutMs: number;
  now: () => number;
  log: (line: string) => void;
  /** Deliver to targets that are not loopback addresses too (off by default: the emulator stays offline). */
  allowRemote?: boolean;
}

/** What `trigger` reports per matched subscription. */
export interface StartedDelivery {
  deliveryId: string;
  subscription: string;
  targetUrl: string;
  event: string;
  attempt: number;
  /** `pending` when the first attempt had not finished when the answer was sent. */
  status: AttemptStatus | 'pending';
  statusCode?: number;
  latencyMs?: number;
  error?: string;
  nextRetryAt?: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

export class DeliveryEngine {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly inflight = new Set<AbortController>();
  private readonly running = new Map<string, Promise<DeliveryAttempt | undefined>>();
  private dispatcher?: Promise<Dispatcher>;
  /** Bumped by reset(): answers of attempts started before it are dropped. */
  private generation = 0;
  private closed = false;

  constructor(private readonly options: DeliveryEngineOptions) {}

  retryDelayMs(afterAttempt: number): number | undefined {
    const base = RETRY_DELAYS_MS[afterAttempt - 1];
    return base === undefined ? undefined : Math.round(base * this.options.retryScale);
  }

  /** Schedules every pending job of the store, e.g. the retries a previous run left in --data-dir. */
  resumePending(): void {
    for (const job of this.options.store.deliveries()) if (job.state === 'pending') this.schedule(job);
  }

  /** Creates one job per matching subscription, runs the first attempts and waits for them up to `waitMs`. */
  async trigger(
    event: string,
    envelope: { data: Record<string, unknown> } & Record<string, unknown>,
    waitMs: number,
  ): Promise<StartedDelivery[]> {
    const { store, now } = this.options;
    const subs = matchingSubscriptions(store.subscriptions(), event, envelope.data);
    const jobs = subs.map((sub) => {
      const deliveryId = newDeliveryId();
      // The delivery id travels in data too: Pictify's handler examples de-duplicate on data.deliveryId.
      const body = JSON.stringify({ ...envelope, data: { ...envelope.data, deliveryId } });
      const job: DeliveryJob = {
        deliveryId,
        subscription: sub.uid,
        event,
        body,
        createdAt: iso(now()),
        attempts: 0,
        state: 'pending',
        nextAttemptAt: now(),
      };
      store.addDelivery(job);
      return { job, sub };
    });
    await store.save();

    const firsts = new Map<string, DeliveryAttempt>();
    const all = Promise.all(
      jobs.map(({ job }) => this.run(job).then((entry) => void (entry && firsts.set(job.deliveryId, entry)))),
    );
    if (waitMs > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([all, new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)))]);
      clearTimeout(timer);
    }

    return jobs.map(({ job, sub }) => summarize(job, sub, firsts.get(job.deliveryId)));
  }

  private schedule(job: DeliveryJob): void {
    this.clearTimer(job.deliveryId);
    if (this.closed) return;
    const due = job.nextAttemptAt ?? this.options.now();
    const wait = Math.max(0, due - this.options.now());
    const timer =
      wait > MAX_TIMER_MS
        ? setTimeout(() => this.schedule(job), MAX_TIMER_MS)
        : setTimeout(() => {
            this.timers.delete(job.deliveryId);
            void this.run(job);
          }, wait);
    // Timers alone must not keep a process alive; the server does that while the emulator runs.
    timer.unref();
    this.timers.set(job.deliveryId, timer);
  }

  private clearTimer(deliveryId: string): void {
    const timer = this.timers.get(deliveryId);
    if (timer) clearTimeout(timer);
    this.timers.delete(deliveryId);
  }

  /** One attempt at a time per job. */
  private run(job: DeliveryJob): Promise<DeliveryAttempt | undefined> {
    const existing = this.running.get(job.deliveryId);
    if (existing) return existing;
    const promise = this.attempt(job)
      .catch((error: unknown) => {
        this.options.log(`delivery ${job.deliveryId}: internal error: ${(error as Error).message}`);
        return undefined;
      })
      .finally(() => this.running.delete(job.deliveryId));
    this.running.set(job.deliveryId, promise);
    return promise;
  }

  private async attempt(job: DeliveryJob): Promise<DeliveryAttempt | undefined> {
    const { store, now, log } = this.options;
    if (this.closed || job.state !== 'pending') return undefined;
    const generation = this.generation;
    const attempt = job.attempts + 1;
    const sub = store.subscription(job.subscription);
    if (!sub || sub.status !== 'active') {
      const entry = this.cancel(job, sub, attempt);
      await store.save();
      return entry;
    }

    const startedAt = now();
    if (!this.options.allowRemote && !isLoopbackUrl(sub.targetUrl)) return this.refuseRemote(job, sub, attempt);
    const result = await this.post(job, sub, startedAt);
    // Shut down (or reset) mid-attempt: leave the job pending and due, so a restart with --data-dir retries it.
    if (this.closed || generation !== this.generation) return undefined;

    job.attempts = attempt;
    const ok = result.status !== undefined && result.status >= 200 && result.status < 300;
    const retryIn = ok ? undefined : this.retryDelayMs(attempt);
    const status: AttemptStatus = ok ? 'delivered' : retryIn !== undefined ? 'retrying' : 'failed';
    const entry = attemptEntry(job, sub.targetUrl, attempt, iso(startedAt), status, result);
    this.advance(job, entry, retryIn);

    // The subscription may have been deleted or changed while we waited for the receiver.
    const current = store.subscription(job.subscription);
    if (current) this.recordOn(current, entry);
    store.logAttempt(entry);
    store.pruneDeliveries();
    log(describeAttempt(entry));
    if (status === 'failed' && current) {
      log(
        `subscription ${current.uid} paused after ${attempt} failed attempts of ${job.deliveryId}; resume it with PUT {"status":"active"}`,
      );
    }
    await store.save();
    if (status === 'retrying') this.schedule(job);
    return entry;
  }

  /** One signed POST of the job to the subscription's target, abortable by close(). */
  private async post(job: DeliveryJob, sub: StoredSubscription, startedAt: number): Promise<PostResult> {
    const request = buildDelivery({
      body: job.body,
      secret: sub.secret,
      timestamp: Math.floor(startedAt / 1000),
      event: job.event,
      deliveryId: job.deliveryId,
    });
    const controller = new AbortController();
    this.inflight.add(controller);
    try {
      return await postDelivery(sub.targetUrl, request, {
        timeoutMs: this.options.timeoutMs,
        dispatcher: await this.agent(),
        maxBodyBytes: 4 * 1024,
        signal: controller.signal,
      });
    } finally {
      this.inflight.delete(controller);
    }
  }

  /** The job's next state after an attempt: delivered, due again in `retryIn`, or failed for good. */
  private advance(job: DeliveryJob, entry: DeliveryAttempt, retryIn: number | undefined): void {
    if (entry.status === 'delivered') {
      job.state = 'delivered';
      job.nextAttemptAt = undefined;
    } else if (retryIn !== undefined) {
      job.nextAttemptAt = this.options.now() + retryIn;
      entry.nextRetryAt = iso(job.nextAttemptAt);
    } else {
      job.state = 'failed';
      job.nextAttemptAt = undefined;
    }
  }

  /** The subscription's counters and lastDelivery; the last failed attempt pauses it, as Pictify does. */
  private recordOn(current: StoredSubscription, entry: DeliveryAttempt): void {
    current.deliveryCount += 1;
    if (entry.status !== 'delivered') current.failureCount += 1;
    current.lastDeliveryAt = entry.at;
    current.lastDelivery = {
      id: entry.deliveryId,
      deliveryId: entry.deliveryId,
      event: entry.event,
      status: entry.status,
      ...(entry.statusCode !== undefined && { statusCode: entry.statusCode }),
      attempt: entry.attempt,
      attemptedAt: entry.at,
    };
    if (entry.status === 'failed' && current.status === 'active') {
      current.status = 'paused';
      current.updatedAt = iso(this.options.now());
    }
  }

  private cancel(job: DeliveryJob, sub: StoredSubscription | undefined, attempt: number): DeliveryAttempt {
    job.state = 'cancelled';
    job.nextAttemptAt = undefined;
    const entry: DeliveryAttempt = {
      deliveryId: job.deliveryId,
      event: job.event,
      subscription: job.subscription,
      targetUrl: sub?.targetUrl ?? '',
      attempt,
      at: iso(this.options.now()),
      status: 'cancelled',
      error: sub ? `not sent: subscription is ${sub.status}` : 'not sent: subscription was deleted',
      latencyMs: 0,
      responseBody: '',
    };
    this.options.store.logAttempt(entry);
    this.options.log(describeAttempt(entry));
    return entry;
  }

  /** Offline means offline: a subscription pointing at a public host gets no POST (and no retries). */
  private async refuseRemote(job: DeliveryJob, sub: StoredSubscription, attempt: number): Promise<DeliveryAttempt> {
    job.state = 'failed';
    job.nextAttemptAt = undefined;
    const entry: DeliveryAttempt = {
      deliveryId: job.deliveryId,
      event: job.event,
      subscription: job.subscription,
      targetUrl: sub.targetUrl,
      attempt,
      at: iso(this.options.now()),
      status: 'failed',
      error:
        `not sent: ${hostOf(sub.targetUrl)} is not a loopback address ` +
        '(start the emulator with --allow-remote to deliver there)',
      latencyMs: 0,
      responseBody: '',
    };
    this.options.store.logAttempt(entry);
    this.options.log(describeAttempt(entry));
    await this.options.store.save();
    return entry;
  }

  private agent(): Promise<Dispatcher> {
    this.dispatcher ??= createDeliveryAgent({ connections: 16, timeoutMs: this.options.timeoutMs });
    return this.dispatcher;
  }

  /** Drops every timer and in-flight attempt (POST /_emulator/reset). */
  reset(): void {
    this.generation += 1;
    for (const id of [...this.timers.keys()]) this.clearTimer(id);
    for (const controller of this.inflight) controller.abort();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.reset();
    await Promise.allSettled([...this.running.values()]);
    if (this.dispatcher) await (await this.dispatcher).destroy().catch(() => undefined);
  }
}

function summarize(job: DeliveryJob, sub: StoredSubscription, first: DeliveryAttempt | undefined): StartedDelivery {
  const base = { deliveryId: job.deliveryId, subscription: sub.uid, targetUrl: sub.targetUrl, event: job.event };
  if (!first) return { ...base, attempt: 1, status: 'pending' };
  return {
    ...base,
    attempt: first.attempt,
    status: first.status,
    ...(first.statusCode !== undefined && { statusCode: first.statusCode }),
    latencyMs: first.latencyMs,
    ...(first.error && { error: first.error }),
    ...(first.nextRetryAt && { nextRetryAt: first.nextRetryAt }),
  };
}

function describeAttempt(entry: DeliveryAttempt): string {
  const outcome = entry.statusCode !== undefined ? String(entry.statusCode) : (entry.error ?? entry.status);
  const next = entry.nextRetryAt ? ` — retry at ${entry.nextRetryAt}` : '';
  const failed = entry.status === 'failed' ? ' — gave up' : '';
  return `deliver ${entry.event} ${entry.deliveryId} → ${entry.targetUrl || '(none)'} ${outcome} ${entry.latencyMs}ms (attempt ${entry.attempt}, ${entry.status})${next}${failed}`;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return JSON.stringify(url);
  }
}

/** Only literal loopback names and addresses: a public name could resolve anywhere. */
export function isLoopbackUrl(url: string): boolean {
  let hostname: string;
  try {
    hostname = new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return false;
  }
  return (
    hostname === 'localhost' ||
    hostname.endsWith('.localhost') ||
    hostname === '::1' ||
    /^127(\.\d{1,3}){3}$/.test(hostname)
  );
}

function attemptEntry(
  job: DeliveryJob,
  targetUrl: string,
  attempt: number,
  at: string,
  status: AttemptStatus,
  result: PostResult,
): DeliveryAttempt {
  return {
    deliveryId: job.deliveryId,
    event: job.event,
    subscription: job.subscription,
    targetUrl,
    attempt,
    at,
    status,
    ...(result.status !== undefined && { statusCode: result.status }),
    ...(result.error && { error: result.error.message }),
    latencyMs: Math.round(result.latencyMs),
    responseBody:
      result.body.length > MAX_RESPONSE_CHARS ? `${result.body.slice(0, MAX_RESPONSE_CHARS)}…` : result.body,
  };
}
