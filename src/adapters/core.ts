// The framework-neutral core of every adapter: one delivery in (method, headers, a way to read the raw body),
// one reply out (status, headers, JSON text). The web handler and the node, express, fastify and hono adapters
// only translate to and from it, so they answer alike.
import type { EventName } from '../events/names.js';
import type { EventOf, PictifyEvent } from '../events/types.js';
import { unsupportedContentType } from '../signing/body.js';
import { WebhookVerificationError } from '../signing/errors.js';
import { effectiveTolerance } from '../signing/tolerance.js';
import { toError, verifyDelivery } from '../signing/verify.js';
import { isAcknowledged } from './acknowledge.js';
import { dedupeStoreFor, type DedupeOption } from './dedupe.js';
import { readVerifiedEvent } from './event.js';

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** What a handler gets besides the event. */
export interface DeliveryContext {
  /** X-Pictify-Delivery-Id (else data.deliveryId): the same for every retry of one delivery. */
  deliveryId: string | null;
  /** The body exactly as received, the bytes that were verified. */
  rawBody: Uint8Array;
  /** The signature's t, unix seconds. */
  timestamp: number;
  /** Which of the configured secrets matched (0 for a single secret): name its source in logs. */
  secretIndex: number;
  /** A request header by name (case-insensitive). */
  header(name: string): string | undefined;
}

type Handler<E> = (event: E, ctx: DeliveryContext) => unknown;

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
  on: EventHandlers;
  /**
   * Told about every delivery that did not end in a plain 2xx: a verification failure (a WebhookVerificationError
   * with `reason` and `status`), a handler that threw (500), or one that threw acknowledge(error) (200, and the
   * error given is the original). Errors thrown here are ignored.
   */
  onError?: (error: unknown, info: ErrorInfo) => void | Promise<void>;
  /** Delivery ids already handled answer 200 without running a handler again. Default: on, in memory
   * (10,000 ids); `false` turns it off; a DedupeStore shares it between instances. */
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

export type DeliveryProcessor = (delivery: IncomingDelivery) => Promise<Reply>;

export function createDeliveryProcessor(options: WebhookHandlerOptions): DeliveryProcessor {
  const secrets = secretList(options);
  if (typeof options.on !== 'object' || options.on === null) {
    throw new TypeError("pictify-hooks: `on` must map event names to handlers, e.g. { 'render.completed': fn }");
  }
  const tolerance = effectiveTolerance(options.tolerance);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const now = options.now ?? Date.now;
  const store = dedupeStoreFor(options.dedupe);
  /** Deliveries being handled: a concurrent copy waits for the first one's outcome instead of running again. */
  const inFlight = new Map<string, Promise<number>>();

  async function report(error: unknown, info: ErrorInfo): Promise<void> {
    try {
      await options.onError?.(error, info);
    } catch {
      // A logging failure must not change the answer.
    }
  }

  async function handle(event: PictifyEvent, ctx: DeliveryContext): Promise<Reply> {
    const handler = (options.on[event.event] ?? options.on['*']) as Handler<PictifyEvent> | undefined;
    try {
      if (handler) await handler(event, ctx);
    } catch (error) {
      if (isAcknowledged(error)) {
        await report(error.cause, { status: 200, deliveryId: ctx.deliveryId });
        return reply(200, { received: true, acknowledged: true });
      }
      await report(error, { status: 500, deliveryId: ctx.deliveryId });
      // No error text: it may hold internals. Pictify retries a 5xx.
      return reply(500, { error: 'handler_failed' });
    }
    return reply(200, RECEIVED);
  }

  async function once(id: string, run: () => Promise<Reply>): Promise<Reply> {
    const duplicate = () => reply(200, { received: true, duplicate: true });
    for (let first = inFlight.get(id); first !== undefined; first = inFlight.get(id)) {
      if ((await first) < 300) return duplicate();
      // The first copy failed: this one may try again (unless another waiter already did).
    }
    let settle!: (status: number) => void;
    inFlight.set(id, new Promise<number>((resolve) => (settle = resolve)));
    let status = 500;
    try {
      if (store && (await store.seen(id))) {
        status = 200;
        return duplicate();
      }
      const answer = await run();
      status = answer.status;
      if (store && status < 300) {
        try {
          await store.remember(id);
        } catch (error) {
          // Handled already: answering 5xx now would only make Pictify deliver it a second time.
          await report(error, { status, deliveryId: id });
        }
      }
      return answer;
    } finally {
      inFlight.delete(id);
      settle(status);
    }
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
      header: (name) => delivery.header(name.toLowerCase()),
    };
    if (deliveryId === null) return handle(event, ctx);
    try {
      return await once(deliveryId, () => handle(event, ctx));
    } catch (error) {
      // The dedupe store failed (Redis down): not handled, so not acknowledged; Pictify retries.
      await report(error, { status: 500, deliveryId });
      return reply(500, { error: 'dedupe_failed' });
    }
  };
}
