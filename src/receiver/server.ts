// The node:http adapter around the pure check: reads the request (body under a size cap and a time limit), checks
// it, and hands the outcome to the DeliveryHandler (dedupe, forward, store before answering, report).
// Startable in-process (demo, check tests).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { effectiveTolerance } from '../signing/index.js';
import type { EventStore } from '../store/event-store.js';
import type { EventRecord } from '../store/event-store-record.js';
import { DeliveryClaims } from './delivery-claims.js';
import { DeliveryHandler, emptyStats, type ReceiverStats } from './delivery.js';
import { Forwarder } from './forward.js';
import { checkBody, checkRequestHead, tooLarge } from './judge.js';
import { Router, type Route } from './route.js';
import type { SourcedSecret } from '../signing/secret-source.js';
import type { CheckOutcome, CheckRules } from './types.js';

export type { ReceiverStats } from './delivery.js';

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
export const DEFAULT_FORWARD_TIMEOUT_MS = 30_000;
/** Pictify waits 30 s for an answer; a body still arriving after twice that is a stuck or hostile client. */
export const DEFAULT_BODY_TIMEOUT_MS = 60_000;

export interface ReceiverOptions {
  /** 0 picks a free port. */
  port: number;
  host?: string;
  path?: string;
  secrets: readonly SourcedSecret[];
  /** Secrets on file that are not verifying: a mismatch one of them explains says so (CheckRules.knownSecrets). */
  knownSecrets?: readonly SourcedSecret[];
  knownNotTriedBecause?: string;
  /** Re-reads knownSecrets along with refreshSecrets (a subscription created at another API while listening). */
  refreshKnownSecrets?: () => Promise<readonly SourcedSecret[]>;
  /** Seconds; default 300. 0/negative/NaN also mean 300 — never "off". */
  toleranceSeconds?: number;
  forwardTo?: string;
  /** Parsed `--route`s; the first match wins, forwardTo is the fallback. */
  routes?: readonly Route[];
  /** null or omitted: nothing is stored. The caller owns (and closes) the store. */
  store?: EventStore | null;
  maxBodyBytes?: number;
  strict?: boolean;
  forwardTimeoutMs?: number;
  /** Milliseconds since the epoch; the check's clock. */
  now?: () => number;
  /** Called after the answer was sent, once per request. `payload` is the parsed body when it was JSON. */
  onDelivery?: (record: EventRecord, payload: unknown) => void;
  /** listen --events: verified deliveries of other events are answered 200, marked ignored, not forwarded. */
  acceptEvent?: (event: string | null) => boolean;
  /**
   * Re-reads the secrets (listen's profile secrets), so a subscription created while listening verifies without a
   * restart. Consulted only on a signature mismatch, and at most once a second, so a flood of bad deliveries
   * cannot turn into a flood of config reads.
   */
  refreshSecrets?: () => Promise<readonly SourcedSecret[]>;
  /**
   * The duplicate check, seeded with the keys of what the store acknowledged before this start (listen:
   * claimsFromStore), so retries of those are duplicates. Default: an empty one.
   */
  claims?: DeliveryClaims;
  /** A request whose body has not fully arrived this long after it started is cut with 408. Default 60 s. */
  bodyTimeoutMs?: number;
}

export interface RunningReceiver {
  /** Where to send deliveries: http://host:port plus --path when set. */
  url: string;
  host: string;
  port: number;
  readonly stats: Readonly<ReceiverStats>;
  /** Requests being handled right now. */
  readonly inFlight: number;
  /** Stop accepting, finish in-flight deliveries, flush the store. Idempotent. */
  close(): Promise<void>;
  /** Replaces the secrets deliveries verify with (listen --subscribe learns its secrets after starting). */
  setSecrets(secrets: readonly SourcedSecret[]): void;
}

const SECRET_REFRESH_INTERVAL_MS = 1000;
const TIMEOUT_BODY = JSON.stringify({ error: 'request_timeout', message: 'the request did not arrive in time' });
const REQUEST_TIMEOUT_RESPONSE =
  `HTTP/1.1 408 Request Timeout\r\nContent-Type: application/json\r\nContent-Length: ${TIMEOUT_BODY.length}\r\n` +
  `Connection: close\r\n\r\n${TIMEOUT_BODY}`;
const EMPTY = Buffer.alloc(0);

export async function startReceiver(options: ReceiverOptions): Promise<RunningReceiver> {
  const host = options.host ?? '127.0.0.1';
  const now = options.now ?? Date.now;
  const rules = rulesOf(options);
  const stats = emptyStats();
  let closing = false;
  const { handler, forwarder } = deliveryHandler(options, stats, () => closing);
  const requests = trackRequests();
  const onRequest = requestListener({
    rules,
    now,
    handler,
    stats,
    requests,
    refresh: secretRefresher(rules, options, now),
  });
  const server = httpServer(options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS, onRequest, stats);
  await listen(server, options.port, host);
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  let closed: Promise<void> | undefined;
  async function close(): Promise<void> {
    closed ??= (async () => {
      closing = true;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // Bounded: a client that never finishes its body must not hold the shutdown forever.
      await requests.idle((options.forwardTimeoutMs ?? DEFAULT_FORWARD_TIMEOUT_MS) + 5_000);
      server.closeAllConnections();
      await stopped;
      await options.store?.flush();
      await forwarder?.close();
    })();
    return closed;
  }

  return {
    url: `http://${urlHost}:${port}${options.path ?? ''}`,
    host,
    port,
    stats,
    get inFlight() {
      return requests.count;
    },
    close,
    setSecrets(secrets) {
      rules.secrets = secrets.filter((s) => s.secret.length > 0);
    },
  };
}

/** What the pure check needs, from the options (secrets that are empty strings never verify anything). */
function rulesOf(options: ReceiverOptions): CheckRules {
  const rules: CheckRules = {
    path: options.path,
    secrets: options.secrets.filter((s) => s.secret.length > 0),
    knownSecrets: options.knownSecrets,
    knownNotTriedBecause: options.knownNotTriedBecause,
    toleranceSeconds: effectiveTolerance(options.toleranceSeconds),
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    strict: options.strict ?? false,
  };
  if (rules.secrets.length === 0 && !options.refreshSecrets)
    throw new Error('startReceiver needs at least one non-empty secret');
  return rules;
}

/** The duplicate check, routes and their forwarder, the store. */
function deliveryHandler(
  options: ReceiverOptions,
  stats: ReceiverStats,
  closing: () => boolean,
): { handler: DeliveryHandler; forwarder: Forwarder | undefined } {
  const router = new Router(options.routes ?? [], options.forwardTo);
  let forwarder: Forwarder | undefined;
  if (!router.empty) {
    forwarder = new Forwarder({ timeoutMs: options.forwardTimeoutMs ?? DEFAULT_FORWARD_TIMEOUT_MS });
  }
  const handler = new DeliveryHandler({
    stats,
    claims: options.claims ?? new DeliveryClaims(),
    router,
    forwarder,
    store: options.store ?? null,
    onDelivery: options.onDelivery,
    acceptEvent: options.acceptEvent,
    closing,
  });
  return { handler, forwarder };
}

/** Per request: the head checks, the body (capped), the body checks, then the handler. Times come from `now`. */
function requestListener(deps: {
  rules: CheckRules;
  now: () => number;
  handler: DeliveryHandler;
  stats: ReceiverStats;
  requests: ReturnType<typeof trackRequests>;
  refresh: ReturnType<typeof secretRefresher>;
}): (req: IncomingMessage, res: ServerResponse) => void {
  const { rules, now, handler, stats, requests, refresh } = deps;
  return (req, res) => {
    requests.started();
    stats.received += 1;
    const receivedAtMs = now();
    const finish = (outcome: CheckOutcome, body: Buffer, omitted: boolean) =>
      handler.complete(req, res, outcome, body, omitted, receivedAtMs, requests.ended);

    const head = checkRequestHead(rules, req.method, req.url, req.headers);
    if (head) {
      if (head.answer.status === 413) stopReading(req, res);
      else req.resume(); // discard the body so the connection stays usable
      void finish(head, EMPTY, true);
      return;
    }
    readBody(req, rules.maxBodyBytes, {
      tooLarge() {
        stopReading(req, res);
        void finish(tooLarge(rules, req.headers), EMPTY, true);
      },
      body(body) {
        let outcome: CheckOutcome;
        try {
          outcome = checkBody(rules, req.headers, body, now());
        } catch (error) {
          handler.fail(res, error);
          requests.ended();
          return;
        }
        if (outcome.verdict.reason === 'signature_mismatch' && refresh) {
          void refresh(outcome, req.headers, body).then((fresh) => finish(fresh, body, false));
          return;
        }
        void finish(outcome, body, false);
      },
      // The client went away mid-body (or was cut for being too slow): nothing was acknowledged.
      gone: requests.ended,
    });
  };
}

/** node:http with keep-alive, a body deadline, and JSON answers (counted) for what Node refuses by itself. */
function httpServer(
  bodyTimeoutMs: number,
  onRequest: (req: IncomingMessage, res: ServerResponse) => void,
  stats: ReceiverStats,
): Server {
  const server = createServer(
    {
      keepAlive: true,
      // Node's own sweep (no timer per request) cuts a request not fully received in time; it checks every
      // interval, so a stuck body is cut between bodyTimeoutMs and bodyTimeoutMs + interval.
      requestTimeout: bodyTimeoutMs,
      headersTimeout: Math.min(bodyTimeoutMs, 60_000),
      connectionsCheckingInterval: Math.max(10, Math.min(5_000, Math.floor(bodyTimeoutMs / 4))),
    },
    onRequest,
  );
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    // What Node answers by itself when nobody listens, with a JSON body for the timeout and it counted.
    const pending = (socket as Socket & { _httpMessage?: ServerResponse })._httpMessage;
    const canAnswer = socket.writable && (!pending || !pending.headersSent);
    if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
      stats.timedOut += 1;
      if (canAnswer) socket.end(REQUEST_TIMEOUT_RESPONSE);
    } else if (canAnswer && error.code !== 'ECONNRESET') {
      const status = error.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
    }
    socket.destroySoon();
  });
  return server;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Reads a body under a size cap; exactly one of the callbacks runs. */
function readBody(
  req: IncomingMessage,
  max: number,
  on: { body(body: Buffer): void; tooLarge(): void; gone(): void },
): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let settled = false;
  req.on('data', (chunk: Buffer) => {
    if (settled) return;
    size += chunk.length;
    if (size > max) {
      settled = true;
      chunks.length = 0;
      on.tooLarge();
      return;
    }
    chunks.push(chunk);
  });
  req.on('end', () => {
    if (settled) return;
    settled = true;
    on.body(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
  });
  const gone = () => {
    if (settled) return;
    settled = true;
    on.gone();
  };
  req.on('error', gone);
}

/** Over the size cap: keep no more bytes, and drop the connection once the 413 is out. */
function stopReading(req: IncomingMessage, res: ServerResponse) {
  req.removeAllListeners('data');
  req.pause();
  res.setHeader('connection', 'close');
  res.once('finish', () => req.socket.destroy());
}

/**
 * On a signature mismatch, re-reads the secrets (a subscription created while listening) and checks again — at
 * most once a second, so a flood of bad deliveries cannot turn into a flood of config reads.
 */
function secretRefresher(
  rules: CheckRules,
  { refreshSecrets, refreshKnownSecrets }: Pick<ReceiverOptions, 'refreshSecrets' | 'refreshKnownSecrets'>,
  now: () => number,
): ((outcome: CheckOutcome, headers: IncomingMessage['headers'], body: Buffer) => Promise<CheckOutcome>) | undefined {
  if (!refreshSecrets) return undefined;
  let lastRefreshMs = -Infinity;
  return async (outcome, headers, body) => {
    const t = now();
    if (t - lastRefreshMs < SECRET_REFRESH_INTERVAL_MS) return outcome;
    lastRefreshMs = t;
    try {
      rules.secrets = (await refreshSecrets()).filter((s) => s.secret.length > 0);
      if (refreshKnownSecrets) rules.knownSecrets = await refreshKnownSecrets();
    } catch {
      return outcome; // an unreadable config keeps the secrets we have
    }
    return checkBody(rules, headers, body, now());
  };
}

/** Requests being handled, so close() can wait (bounded) for the last one. */
function trackRequests() {
  let count = 0;
  let onIdle: (() => void) | undefined;
  return {
    get count() {
      return count;
    },
    started() {
      count += 1;
    },
    ended: () => {
      count -= 1;
      if (count === 0 && onIdle) onIdle();
    },
    async idle(graceMs: number): Promise<void> {
      if (count === 0) return;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => (onIdle = resolve)),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)).unref()),
      ]);
      clearTimeout(timer);
    },
  };
}
