// `pictify-hooks/bullmq`: queue-first handling, as Pictify's guide recommends for heavy work — but with the order
// that keeps the promise: a verified delivery is claimed, added to the queue, and only then answered 2xx. A failed
// add answers 503 and releases the claim, so Pictify retries and nothing is acknowledged that is not queued.
//   pictifyWebhooks({ secret, dedupe: redisDedupe(redis), enqueue: bullmqEnqueue(queue) })     // the receiver
//   pictifyWorker('pictify-webhooks', { connection, dedupe: redisDedupe(redis), on: { … } })      // the worker
// The worker runs the same typed handlers with BullMQ's retries and backoff; a job whose attempts run out stays in
// the queue's failed set (queue.getFailed(), job.retry()).
import { Worker, type Job, type JobsOptions, type WorkerOptions } from 'bullmq';
import { isAcknowledged } from './acknowledge.js';
import { bounded, DEFAULT_TIMEOUT_MS, durationOr, type DedupeStore } from './claim.js';
import {
  claimFor,
  type DeliveryContext,
  type Enqueue,
  type ErrorInfo,
  type EventHandlers,
  type Handler,
} from './core.js';
import { dedupeStoreFor } from './dedupe.js';
import { reporter } from './log-failure.js';
import type { PictifyEvent } from '../events/types.js';

export type { DeliveryContext, EventHandlers, VerifiedDelivery } from './core.js';
export { acknowledge } from './acknowledge.js';

/** The job name, as in Pictify's guide: queue.add('pictify-webhook', event). */
export const JOB_NAME = 'pictify-webhook';

/** What a job carries: the verified event and what the handler's context needs. */
export interface PictifyJobData {
  event: PictifyEvent;
  deliveryId: string | null;
  keys: string[];
  timestamp: number;
  secretIndex: number;
}

/** The part of a BullMQ Queue bullmqEnqueue uses. */
export interface JobQueue {
  add(name: string, data: PictifyJobData, options?: JobsOptions): Promise<unknown>;
  readonly defaultJobOptions?: JobsOptions;
}

/** Attempts and backoff when neither the queue's defaults nor `jobOptions` set them; failed jobs are kept. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: { age: 24 * 60 * 60, count: 10_000 },
  removeOnFail: false,
};

/**
 * The job id of a delivery: its first key (the verified v1: the same for every copy of the signed bytes), so a
 * second add of the same delivery is a no-op. BullMQ refuses ids with ':' (and integers), so ':' and '%' are
 * percent-encoded: 'v1:ab…' → 'v1%3Aab…'.
 */
export function jobIdFor(keys: readonly string[]): string {
  const key = keys[0];
  if (key === undefined) throw new TypeError('pictify-hooks: a delivery without keys cannot be queued');
  return key.replace(/%/g, '%25').replace(/:/g, '%3A');
}

export interface BullmqEnqueueOptions {
  /** The job name (default 'pictify-webhook'). */
  name?: string;
  /** Merged over DEFAULT_JOB_OPTIONS and the queue's defaultJobOptions; jobId is always the delivery's. */
  jobOptions?: JobsOptions;
  /**
   * How long an add may take before the delivery is answered 503 and released (default 10 s): with Redis down,
   * BullMQ's connection (`maxRetriesPerRequest: null`) waits for ever. An add that lands later is a job whose retry
   * adds the same jobId again, a no-op.
   */
  timeoutMs?: number;
}

/** An adapter's `enqueue`: adds each verified, claimed delivery to `queue` and resolves once Redis has it. */
export function bullmqEnqueue(queue: JobQueue, options: BullmqEnqueueOptions = {}): Enqueue {
  if (typeof queue?.add !== 'function') {
    throw new TypeError("pictify-hooks: bullmqEnqueue(queue) needs a BullMQ Queue, e.g. new Queue('pictify-webhooks')");
  }
  const name = options.name ?? JOB_NAME;
  const base = { ...DEFAULT_JOB_OPTIONS, ...queue.defaultJobOptions, ...options.jobOptions };
  const timeout = durationOr(options.timeoutMs, DEFAULT_TIMEOUT_MS);
  return async (delivery) => {
    const data: PictifyJobData = {
      event: delivery.event,
      deliveryId: delivery.deliveryId,
      keys: [...delivery.keys],
      timestamp: delivery.timestamp,
      secretIndex: delivery.secretIndex,
    };
    await bounded(queue.add(name, data, { ...base, jobId: jobIdFor(delivery.keys) }), timeout, "BullMQ's add");
  };
}

/** Thrown by the worker for a job whose delivery another worker is running now: BullMQ retries it later. */
export class DeliveryInFlightError extends Error {
  readonly code = 'PICTIFY_DELIVERY_IN_FLIGHT';
  constructor(readonly deliveryId: string | null) {
    super(`delivery ${deliveryId ?? '(no id)'} is being handled by another worker`);
    this.name = 'DeliveryInFlightError';
  }
}

/** Worker claims are kept apart from the receivers' (which completed when the job was queued). */
export const WORKER_KEY_PREFIX = 'handled:';

export interface PictifyWorkerOptions extends WorkerOptions {
  on: EventHandlers;
  /**
   * Claims around each run, so a job BullMQ runs twice (a stalled job, a copy queued under another id) runs its
   * handler once; a failed run releases its claim for the retry. Default: this process's memory; give the store
   * the receivers use (redisDedupe, postgresDedupe) to cover every worker. With postgresDedupe the handler's
   * context has `transaction`. `false`: no claims.
   */
  dedupe?: boolean | DedupeStore;
  /**
   * Told about every run that threw (the job is retried, or failed once its attempts are spent). Not given: written
   * to stderr (console.error), acknowledged errors aside; `onError: () => {}` silences them.
   */
  onError?: (error: unknown, info: ErrorInfo & { jobId: string | undefined }) => void | Promise<void>;
}

/** A BullMQ Worker that runs `on`'s typed handlers for the jobs bullmqEnqueue added. Close it with worker.close(). */
export function pictifyWorker(queueName: string, options: PictifyWorkerOptions): Worker<PictifyJobData> {
  const { on, dedupe, onError, ...workerOptions } = options;
  if (typeof on !== 'object' || on === null) {
    throw new TypeError("pictify-hooks: `on` must map event names to handlers, e.g. { 'render.completed': fn }");
  }
  const store = dedupeStoreFor(dedupe);
  const tell = reporter(onError);

  async function processJob(job: Job<PictifyJobData>): Promise<string> {
    const { event, deliveryId, keys, timestamp, secretIndex } = job.data;
    const report = (error: unknown, info: ErrorInfo, acknowledged?: boolean) =>
      tell(error, { ...info, jobId: job.id }, acknowledged);
    const handler = (on[event.event] ?? on['*']) as Handler<PictifyEvent> | undefined;
    const ctx: DeliveryContext = {
      deliveryId,
      rawBody: new Uint8Array(0),
      timestamp,
      secretIndex,
      keys,
      header: () => undefined,
    };
    if (handler === undefined) return 'no handler';
    if (store === null) {
      await handler(event, ctx);
      return 'handled';
    }
    const claim = await claimFor(
      store,
      keys.map((key) => WORKER_KEY_PREFIX + key),
      deliveryId,
    );
    if (claim === 'duplicate') return 'duplicate';
    if (claim === 'in_flight') throw new DeliveryInFlightError(deliveryId);
    try {
      if (claim.within) await claim.within((transaction) => handler(event, { ...ctx, transaction }));
      else {
        await handler(event, ctx);
        await claim.done(report);
      }
    } catch (error) {
      if (isAcknowledged(error)) {
        await claim.done(report);
        await report(error.cause, { status: 200, deliveryId }, true);
        return 'acknowledged';
      }
      await claim.undo(report);
      await report(error, { status: 500, deliveryId });
      throw error;
    }
    return 'handled';
  }

  return new Worker<PictifyJobData>(queueName, processJob, workerOptions);
}
