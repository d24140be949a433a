// The node:http adapter around the pure check: streams the body under a size cap, applies dedupe, forwards,
// appends to the store *before* answering, then reports the delivery. Startable in-process (demo, check tests).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { effectiveTolerance } from '../signing/index.js';
import type { EventStore } from '../store/event-store.js';
import {
  encodeBody,
  newEventId,
  redactHeaders,
  type EventRecord,
  type ForwardRecord,
} from '../store/event-store-record.js';
import { checkBody, checkRequestHead, duplicateOutcome, rejection, tooLarge } from './judge.js';
import { DEFAULT_DEDUPE_SIZE, DeliveryDedupe } from './dedupe.js';
import type { Forwarder } from './forward.js';
import { Router, type Route } from './route.js';
import { SELF_TEST_HEADER } from './tunnel/marker.js';
import type { Answer, CheckOutcome, CheckRules, ReceiverSecret } from './types.js';

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
export const DEFAULT_FORWARD_TIMEOUT_MS = 30_000;

export interface ReceiverOptions {
  /** 0 picks a free port. */
  port: number;
  host?: string;
  path?: string;
  secrets: readonly ReceiverSecret[];
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
  dedupeSize?: number;
  /**
   * Re-reads the secrets (listen's profile secrets), so a subscription created while listening verifies without a
   * restart. Consulted only on a signature mismatch, and at most once a second, so a flood of bad deliveries
   * cannot turn into a flood of config reads.
   */
  refreshSecrets?: () => Promise<readonly ReceiverSecret[]>;
  /** Delivery ids accepted before this start (from the store), oldest first: retries of them are duplicates. */
  seenDeliveryIds?: Iterable<string>;
}

export interface ReceiverStats {
  received: number;
  verified: number;
  rejected: number;
  duplicates: number;
  forwarded: number;
  forwardFailed: number;
  stored: number;
  storeFailed: number;
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
  setSecrets(secrets: readonly ReceiverSecret[]): void;
}

const JSON_TYPE = 'application/json';
const SECRET_REFRESH_INTERVAL_MS = 1000;
const EMPTY = Buffer.alloc(0);

export async function startReceiver(options: ReceiverOptions): Promise<RunningReceiver> {
  const host = options.host ?? '127.0.0.1';
  const rules: CheckRules = {
    path: options.path,
    secrets: options.secrets.filter((s) => s.secret.length > 0),
    toleranceSeconds: effectiveTolerance(options.toleranceSeconds),
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    strict: options.strict ?? false,
  };
  if (rules.secrets.length === 0 && !options.refreshSecrets)
    throw new Error('startReceiver needs at least one non-empty secret');
  let lastRefreshMs = -Infinity;
  async function recheckWithFreshSecrets(
    outcome: CheckOutcome,
    headers: IncomingMessage['headers'],
    body: Buffer,
  ): Promise<CheckOutcome> {
    const t = Date.now();
    if (!options.refreshSecrets || t - lastRefreshMs < SECRET_REFRESH_INTERVAL_MS) return outcome;
    lastRefreshMs = t;
    try {
      rules.secrets = (await options.refreshSecrets()).filter((s) => s.secret.length > 0);
    } catch {
      return outcome; // an unreadable config keeps the secrets we have
    }
    return checkBody(rules, headers, body, now());
  }
  const now = options.now ?? Date.now;
  const store = options.store ?? null;
  const router = new Router(options.routes ?? [], options.forwardTo);
  let forwarder: Forwarder | undefined;
  if (!router.empty) {
    const { Forwarder } = await import('./forward.js');
    forwarder = new Forwarder({ timeoutMs: options.forwardTimeoutMs ?? DEFAULT_FORWARD_TIMEOUT_MS });
  }
  const dedupe = new DeliveryDedupe(options.dedupeSize ?? DEFAULT_DEDUPE_SIZE);
  for (const id of options.seenDeliveryIds ?? []) dedupe.remember(id);
  const stats: ReceiverStats = {
    received: 0,
    verified: 0,
    rejected: 0,
    duplicates: 0,
    forwarded: 0,
    forwardFailed: 0,
    stored: 0,
    storeFailed: 0,
  };

  let inFlight = 0;
  let closing = false;
  let idle: (() => void) | undefined;
  const done = () => {
    inFlight -= 1;
    if (inFlight === 0 && idle) idle();
  };

  async function complete(
    req: IncomingMessage,
    res: ServerResponse,
    outcome: CheckOutcome,
    body: Buffer,
    bodyOmitted: boolean,
    receivedAtMs: number,
  ) {
    let answer: Answer = outcome.answer;
    let forward: ForwardRecord | null = null;
    let acceptedId: string | null = null;
    if (outcome.verdict.ok) {
      stats.verified += 1;
      const id = outcome.deliveryId;
      if (id !== null && dedupe.seen(id)) {
        outcome = duplicateOutcome(outcome);
        answer = outcome.answer;
        stats.duplicates += 1;
      } else {
        // listen's own self-test through the tunnel is stored, never passed on to the app.
        const target = forwarder && !req.headers[SELF_TEST_HEADER] ? router.target(outcome.event) : undefined;
        if (forwarder && target !== undefined) {
          const result = await forwarder.send(target, req.headers, body);
          answer = result.answer;
          forward = result.record;
          if (result.record.error !== undefined) stats.forwardFailed += 1;
          else stats.forwarded += 1;
        }
        // Only what the app took, and the store kept, counts as seen: a sender retrying after a 502 or a
        // store failure must get through again (remembered below, once the record is written).
        if (id !== null && answer.status < 300) acceptedId = id;
      }
    } else {
      stats.rejected += 1;
    }

    const encoded = bodyOmitted ? { body: '', bodyEncoding: 'utf8' as const } : encodeBody(body);
    const record: EventRecord = {
      id: newEventId(receivedAtMs),
      receivedAt: new Date(receivedAtMs).toISOString(),
      method: req.method ?? '',
      path: req.url ?? '/',
      remoteAddress: req.socket.remoteAddress ?? null,
      headers: redactHeaders(req.headers),
      body: encoded.body,
      bodyEncoding: encoded.bodyEncoding,
      bodyBytes: body.length,
      status: answer.status,
      verdict: outcome.verdict,
      event: outcome.event,
      deliveryId: outcome.deliveryId,
      forward,
    };
    if (bodyOmitted) record.bodyOmitted = true;

    if (store) {
      try {
        await store.append(record);
        stats.stored += 1;
      } catch (error) {
        // Not written means not acknowledged: a 500 makes the sender try again.
        stats.storeFailed += 1;
        const failed = rejection('store_failed', (error as Error).message, outcome);
        answer = failed.answer;
        record.status = answer.status;
        // Not acknowledged, so not a success anywhere: not in --exit-after, not remembered as seen.
        record.verdict = failed.verdict;
        acceptedId = null;
      }
    }
    if (acceptedId !== null) dedupe.remember(acceptedId);
    send(res, answer);
    if (options.onDelivery) {
      try {
        options.onDelivery(record, outcome.payload);
      } catch {
        // A reporting failure must not take the receiver down.
      }
    }
  }

  function send(res: ServerResponse, answer: Answer) {
    if (res.destroyed) return;
    const headers: Record<string, string | number> = {
      'content-type': answer.headers?.['content-type'] ?? JSON_TYPE,
      'content-length': Buffer.byteLength(answer.body),
    };
    if (answer.headers?.allow) headers.allow = answer.headers.allow;
    if (closing) headers.connection = 'close';
    res.writeHead(answer.status, headers);
    res.end(answer.body);
  }

  function fail(res: ServerResponse, error: unknown) {
    if (!res.headersSent && !res.destroyed) {
      res.writeHead(500, { 'content-type': JSON_TYPE });
      res.end(JSON.stringify({ error: 'internal_error', message: (error as Error).message }));
    }
  }

  function onRequest(req: IncomingMessage, res: ServerResponse) {
    inFlight += 1;
    stats.received += 1;
    const receivedAtMs = now();
    const finish = (outcome: CheckOutcome, body: Buffer, omitted: boolean) =>
      complete(req, res, outcome, body, omitted, receivedAtMs)
        .catch((error) => fail(res, error))
        .finally(done);

    const head = checkRequestHead(rules, req.method, req.url, req.headers);
    if (head) {
      if (head.answer.status === 413) stopReading(req, res);
      else req.resume(); // discard the body so the connection stays usable
      void finish(head, EMPTY, true);
      return;
    }

    const max = rules.maxBodyBytes;
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    let settled = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > max) {
        over = true;
        chunks.length = 0;
        stopReading(req, res);
        settled = true;
        void finish(tooLarge(rules, req.headers), EMPTY, true);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (over || settled) return;
      settled = true;
      const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
      let outcome: CheckOutcome;
      try {
        outcome = checkBody(rules, req.headers, body, now());
      } catch (error) {
        fail(res, error);
        done();
        return;
      }
      if (outcome.verdict.reason === 'signature_mismatch' && options.refreshSecrets) {
        void recheckWithFreshSecrets(outcome, req.headers, body).then((fresh) => finish(fresh, body, false));
        return;
      }
      void finish(outcome, body, false);
    });
    req.on('error', () => {
      // The client went away mid-body: nothing to answer, nothing was acknowledged.
      if (settled) return;
      settled = true;
      done();
    });
  }

  /** Over the size cap: keep no more bytes, and drop the connection once the 413 is out. */
  function stopReading(req: IncomingMessage, res: ServerResponse) {
    req.removeAllListeners('data');
    req.pause();
    res.setHeader('connection', 'close');
    res.once('finish', () => req.socket.destroy());
  }

  const server = createServer({ keepAlive: true }, onRequest);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${urlHost}:${port}${options.path ?? ''}`;

  let closed: Promise<void> | undefined;
  async function close(): Promise<void> {
    closed ??= (async () => {
      closing = true;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (inFlight > 0) {
        // Bounded: a client that never finishes its body must not hold the shutdown forever.
        const graceMs = (options.forwardTimeoutMs ?? DEFAULT_FORWARD_TIMEOUT_MS) + 5_000;
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          new Promise<void>((resolve) => (idle = resolve)),
          new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)).unref()),
        ]);
        clearTimeout(timer);
      }
      server.closeAllConnections();
      await stopped;
      await store?.flush();
      await forwarder?.close();
    })();
    return closed;
  }

  return {
    url,
    host,
    port,
    stats,
    get inFlight() {
      return inFlight;
    },
    close,
    setSecrets(secrets) {
      rules.secrets = secrets.filter((s) => s.secret.length > 0);
    },
  };
}
