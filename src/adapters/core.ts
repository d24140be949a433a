// The framework-neutral core of every adapter: one delivery in (method, headers, a way to read the raw body),
// one reply out (status, headers, JSON text). The web handler and the node, express, fastify and hono adapters
// only translate to and from it, so they answer alike.
import type { EventName } from '../events/names.js';
import type { EventOf, PictifyEvent } from '../events/types.js';
import { unsupportedContentType } from '../signing/body.js';
import { deliveryKeys } from '../signing/delivery-keys.js';
import { WebhookVerificationError } from '../signing/errors.js';
import { effectiveTolerance } from '../signing/tolerance.js';
import { toError, verifyDelivery } from '../signing/verify.js';
import { isAcknowledged } from './acknowledge.js';
import { bounded, leaseOf, retentionOf, timeoutOf, type DedupeStore, type SqlTransaction } from './claim.js';
import { dedupeStoreFor, type DedupeOption } from './dedupe.js';
import { readVerifiedEvent } from './event.js';
import { reporter } from './log-failure.js';

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** What a handler gets besides the event. */
export interface DeliveryContext {
  /** X-Pictify-Delivery-Id (else data.deliveryId): the same for every retry of one delivery. */
  deliveryId: string | null;
  /** The body exactly as received, the bytes that were verified (empty in pictifyWorker: jobs carry the event). */
  rawBody: Uint8Array;
  /** The signature's t, unix seconds. */
  timestamp: number;
  /** Which of the configured secrets matched (0 for a single secret): name its source in logs. */
  secretIndex: number;
  /** The delivery's idempotency keys (deliveryKeys): its verified v1 value(s), then `id:<delivery id>`. */
  keys: readonly string[];
  /**
   * With postgresDedupe: a client inside the transaction that marks this delivery completed. What you write
   * through it commits together with that mark, so it happens exactly once; other writes happen at least once.
   */
  transaction?: SqlTransaction;
  /** A request header by name (case-insensitive); undefined in a queue worker. */
  header(name: string): string | undefined;
}

export type Handler<E> = (event: E, ctx: DeliveryContext) => unknown;

/** What `enqueue` is handed: a verified, parsed delivery whose claim this instance holds. */
export interface VerifiedDelivery {
  event: PictifyEvent;
  deliveryId: string | null;
  /** deliveryKeys(): keys[0] names the signed bytes, so it is the same for every copy (a queue's job id). */
  keys: readonly string[];
  timestamp: number;
  secretIndex: number;
}

/** Hands a delivery to a queue (bullmqEnqueue); it must resolve only once the queue has it. */
export type Enqueue = (delivery: VerifiedDelivery) => unknown;

/** One handler per event name, `event.data` typed for that event; `'*'` takes every event without its own. */
export type EventHandlers = { [N in EventName]?: Handler<EventOf<N>> } & { '*'?: Handler<PictifyEvent> };

export interface ErrorInfo {
  /** The status answered. */
  status: number;
  deliveryId: string | null;
}

export interface WebhookHandlerOptions {
  /** The subscription secret (`whsec_…`), or several while rotating. */
  secret?: string | readonly string[];
  /** Same as `secret`, for lists. */
  secrets?: readonly string[];
  /** Replay window in seconds (default 300; 0, negative or NaN also mean 300, only Infinity disables it). */
  tolerance?: number;
  /** Bodies above this answer 413 (default 1 MiB). */
  maxBodyBytes?: number;
  /** The handlers, run before answering. Give `on` or `enqueue`. */
  on?: EventHandlers;
  /**
   * Queue-first instead of `on`: a verified, claimed delivery is handed to this (bullmqEnqueue(queue)) and answered
   * 2xx only once it resolved; when it throws the answer is 503 and the claim is released, so Pictify retries.
   */
  enqueue?: Enqueue;
  /**
   * Told about every delivery that did not end in a plain 2xx: a verification failure (a WebhookVerificationError
   * with `reason` and `status`), a handler that threw (500), or one that threw acknowledge(error) (200, and the
   * error given is the original). Errors thrown here are ignored. Not given: the failures on the receiving side
   * (a handler, the store or the queue; not a verification failure, not an acknowledged error) are written to
   * stderr with console.error; `onError: () => {}` silences them.
   */
  onError?: (error: unknown, info: ErrorInfo) => void | Promise<void>;
  /**
   * Idempotency: each delivery is claimed (by its verified signature and its delivery id) before it runs. A copy
   * of a completed delivery answers 200 `duplicate` without running; a copy that arrives while the first still runs
   * answers 409 `in_flight` with Retry-After, so Pictify retries it (and it runs if the first failed). Default:
   * claims in this process's memory (memoryDedupe()); redisDedupe or postgresDedupe share them between instances;
   * `false` turns it off.
   */
  dedupe?: DedupeOption;
  /** Milliseconds since the epoch (tests). */
  now?: () => number;
}

export const TOO_LARGE: unique symbol = Symbol('too large');

export interface IncomingDelivery {
  method: string;
  header(name: string): string | undefined;
  /**
   * The raw body, or TOO_LARGE once more than `maxBytes` arrived: stop reading then, and end the connection after
   * the answer (its 413 carries `Connection: close`).
   */
  readBody(maxBytes: number): Promise<Uint8Array | typeof TOO_LARGE>;
  /** The answer was decided without reading a body that is on its way (`refusedBeforeBody`): take no more of it. */
  refuseBody?(): void;
}

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const JSON_HEADERS = { 'content-type': 'application/json' };
const RECEIVED = '{"received":true}';

function reply(status: number, body: object | string, extra?: Record<string, string>): Reply {
  return {
    status,
    headers: extra ? { ...JSON_HEADERS, ...extra } : JSON_HEADERS,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  };
}

/** A body is on its way: declared with a length above 0, or chunked. */
function bodyExpected(header: (name: string) => string | undefined): boolean {
  const length = header('content-length');
  return (length !== undefined && length.trim() !== '0') || header('transfer-encoding') !== undefined;
}

/**
 * The answers decided before a byte of the body is read, in listen's order: not POST (405), not JSON (415, the
 * rule listen applies), larger than `maxBodyBytes` by its Content-Length (413). A refused request whose body is
 * still coming is answered with `Connection: close`: reading it only to throw it away would let a client push any
 * amount through an open connection. Undefined: read the body.
 */
export function refusedBeforeBody(
  method: string,
  header: (name: string) => string | undefined,
  maxBodyBytes: number,
): Reply | undefined {
  const close = bodyExpected(header) ? CLOSE : undefined;
  if (method !== 'POST') {
    return reply(
      405,
      { error: 'method_not_allowed', message: `webhook deliveries are POST requests, got ${method}` },
      { allow: 'POST', ...close },
    );
  }
  const mediaType = unsupportedContentType(header('content-type'));
  if (mediaType !== undefined) return reply(415, { error: 'unsupported_media_type', message: mediaType }, close);
  const declared = header('content-length');
  if (declared !== undefined && Number(declared) > maxBodyBytes) return tooLarge(maxBodyBytes);
  return undefined;
}

const CLOSE = { connection: 'close' };

export function tooLarge(maxBodyBytes: number): Reply {
  return reply(413, { error: 'payload_too_large', message: `the body is larger than ${maxBodyBytes} bytes` }, CLOSE);
}

function rejected(error: WebhookVerificationError): Reply {
  return reply(error.status, { error: error.reason, message: error.message });
}

function secretList(options: WebhookHandlerOptions): readonly string[] {
  const given = options.secrets ?? options.secret;
  const list = typeof given === 'string' ? [given] : Array.isArray(given) ? given : [];
  if (!list.some((s) => typeof s === 'string' && s.length > 0)) {
    // At start-up, not per request: an unset environment variable must not become 401s in production.
    throw new TypeError(
      'pictify-hooks: no webhook secret — pass `secret` (the whsec_… secret of the subscription); got ' +
        (given === undefined ? 'undefined (an unset environment variable?)' : JSON.stringify(given)),
    );
  }
  return list;
}

type ClaimRefusal = 'duplicate' | 'in_flight';

/** A claim this instance holds. Failures to complete or release are reported, never answered: see below. */
export interface Claim {
  done(report: Reporter): Promise<void>;
  undo(report: Reporter): Promise<void>;
  /** Runs work inside the store's completing transaction (postgresDedupe), when the store has one. */
  within?: (work: (transaction: SqlTransaction) => unknown) => Promise<void>;
}

type Reporter = (error: unknown, info: ErrorInfo) => Promise<void>;

/** Claims the keys; shared with pictifyWorker so a queued delivery is claimed the same way. */
export async function claimFor(
  store: DedupeStore,
  keys: readonly string[],
  deliveryId: string | null,
): Promise<Claim | ClaimRefusal> {
  const timeout = timeoutOf(store);
  const result = await bounded(store.claim(keys, leaseOf(store)), timeout, "the dedupe store's claim");
  if (result.status !== 'new') return result.status;
  const { token } = result;
  const retention = retentionOf(store);
  const completeWithin = store.completeWithin?.bind(store);
  const stopRenewing = renewWhileRunning(store, keys, token);
  return {
    async done(report) {
      stopRenewing();
      try {
        await bounded(store.complete(keys, token, retention), timeout, "the dedupe store's completion");
      } catch (error) {
        // Handled already: answering 5xx now would only make Pictify deliver it a second time. The lease runs out
        // and a later copy would run again: the store being down is reported so that is seen.
        await report(error, { status: 200, deliveryId });
      }
    },
    async undo(report) {
      stopRenewing();
      try {
        await bounded(store.release(keys, token), timeout, "the dedupe store's release");
      } catch (error) {
        // The lease runs out by itself; until then a retry is answered in_flight.
        await report(error, { status: 500, deliveryId });
      }
    },
    within: completeWithin
      ? async (work) => {
          try {
            await completeWithin(keys, token, retention, async (transaction) => {
              await work(transaction);
            });
          } finally {
            stopRenewing();
          }
        }
      : undefined,
  };
}

/**
 * Keeps the lease alive while its copy runs: renewed every third of the lease, so a handler or an enqueue that
 * outlives the lease (a slow job, a machine under load) is not taken over by the next copy, which would run it a
 * second time. A holder that dies stops renewing, and its lease runs out as before. Returns the stop.
 */
function renewWhileRunning(store: DedupeStore, keys: readonly string[], token: string): () => void {
  const renew = store.renew?.bind(store);
  if (renew === undefined) return () => {};
  const lease = leaseOf(store);
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const schedule = () => {
    timer = setTimeout(
      async () => {
        try {
          // Lost (taken over after all): stop; the completion or the transaction then finds it out.
          const held = !stopped && (await renew(keys, token, lease));
          if (held && !stopped) schedule();
        } catch {
          // The store failed once; the next renewal (or the lease's end) decides.
          if (!stopped) schedule();
        }
      },
      Math.max(1, Math.floor(lease / 3)),
    );
    // A pending renewal must not keep a process alive that has nothing else to do.
    timer.unref?.();
  };
  schedule();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

export type DeliveryProcessor = (delivery: IncomingDelivery) => Promise<Reply>;

export function createDeliveryProcessor(options: WebhookHandlerOptions): DeliveryProcessor {
  const secrets = secretList(options);
  const enqueue = options.enqueue;
  if (enqueue !== undefined && typeof enqueue !== 'function') {
    throw new TypeError('pictify-hooks: `enqueue` must be a function, e.g. bullmqEnqueue(queue)');
  }
  if (enqueue === undefined && (typeof options.on !== 'object' || options.on === null)) {
    throw new TypeError(
      "pictify-hooks: `on` must map event names to handlers, e.g. { 'render.completed': fn } (or give `enqueue`)",
    );
  }
  const handlers: EventHandlers = options.on ?? {};
  const tolerance = effectiveTolerance(options.tolerance);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const now = options.now ?? Date.now;
  const store = dedupeStoreFor(options.dedupe);

  const report = reporter(options.onError);

  /** Runs the handler (or the enqueue) as the claim's holder: success completes the claim, failure releases it. */
  async function run(event: PictifyEvent, ctx: DeliveryContext, claim: Claim | null): Promise<Reply> {
    const info = { deliveryId: ctx.deliveryId };
    if (enqueue !== undefined) {
      try {
        await enqueue({
          event,
          deliveryId: ctx.deliveryId,
          keys: ctx.keys,
          timestamp: ctx.timestamp,
          secretIndex: ctx.secretIndex,
        });
      } catch (error) {
        await claim?.undo(report);
        await report(error, { status: 503, ...info });
        // Nothing was queued, so nothing is acknowledged: Pictify retries.
        return reply(503, { error: 'enqueue_failed' }, { 'retry-after': '60' });
      }
      await claim?.done(report);
      return reply(200, RECEIVED);
    }
    const handler = (handlers[event.event] ?? handlers['*']) as Handler<PictifyEvent> | undefined;
    try {
      if (handler) {
        if (claim?.within) await claim.within((transaction) => handler(event, { ...ctx, transaction }));
        else await handler(event, ctx);
      }
    } catch (error) {
      if (isAcknowledged(error)) {
        await claim?.done(report);
        await report(error.cause, { status: 200, ...info }, true);
        return reply(200, { received: true, acknowledged: true });
      }
      await claim?.undo(report);
      await report(error, { status: 500, ...info });
      // No error text: it may hold internals. Pictify retries a 5xx.
      return reply(500, { error: 'handler_failed' });
    }
    if (!claim?.within) await claim?.done(report);
    return reply(200, RECEIVED);
  }

  return async function process(delivery: IncomingDelivery): Promise<Reply> {
    const refused = refusedBeforeBody(delivery.method, (name) => delivery.header(name), maxBodyBytes);
    if (refused) {
      if (refused.headers.connection === 'close') delivery.refuseBody?.();
      return refused;
    }
    const body = await delivery.readBody(maxBodyBytes);
    if (body === TOO_LARGE) return tooLarge(maxBodyBytes);

    const headerId = delivery.header('x-pictify-delivery-id') ?? null;
    const verified = verifyDelivery(body, delivery.header('x-pictify-signature'), secrets, tolerance, now() / 1000);
    if (!verified.ok) {
      const error = toError(verified);
      await report(error, { status: error.status, deliveryId: headerId });
      return rejected(error);
    }
    let event: PictifyEvent;
    try {
      event = readVerifiedEvent(body);
    } catch (error) {
      const failure = error as WebhookVerificationError;
      await report(failure, { status: failure.status, deliveryId: headerId });
      return rejected(failure);
    }

    const deliveryId = headerId ?? (typeof event.data.deliveryId === 'string' ? event.data.deliveryId : null);
    const ctx: DeliveryContext = {
      deliveryId,
      rawBody: body,
      timestamp: verified.timestamp,
      secretIndex: verified.matchedSecretIndex,
      keys: deliveryKeys({ deliveryId, verifiedSignatures: verified.verifiedSignatures }),
      header: (name) => delivery.header(name.toLowerCase()),
    };
    if (store === null) return run(event, ctx, null);
    let claim: Claim | ClaimRefusal;
    try {
      claim = await claimFor(store, ctx.keys, deliveryId);
    } catch (error) {
      // The store failed (Redis down): not handled, so not acknowledged; Pictify retries.
      await report(error, { status: 500, deliveryId });
      return reply(500, { error: 'dedupe_failed' });
    }
    if (claim === 'duplicate') return reply(200, { received: true, duplicate: true });
    if (claim === 'in_flight') {
      // Never run twice, never acknowledged before the first copy succeeded: Pictify retries this one, and by then
      // it is a duplicate (the first completed) or runs (the first failed, or its holder died and the lease ran out).
      return reply(
        409,
        { error: 'in_flight', message: 'another copy of this delivery is being handled; retry later' },
        { 'retry-after': String(Math.ceil(leaseOf(store) / 1000)) },
      );
    }
    return run(event, ctx, claim);
  };
}
