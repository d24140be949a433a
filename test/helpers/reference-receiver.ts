// The one reference receiver for tests: a real node:http server on 127.0.0.1:0 that checks Pictify's documented
// signature itself with node:crypto — on purpose not src/signing — so senders (send, sign, load mode, the emulator)
// are checked against the spec, not against our own verify. It records every request and answers what the test
// says: a status, a body, a redirect, silence. With a `flaw` it is one of the broken receivers `check` must catch
// (each a bug found in real receivers), and as an app that answers what the test decides it stands in for the
// user's app behind `listen --forward-to` (test/unit/receiver/deliver.ts's startApp).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  /** Path and query as requested. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Whether the delivery passed the documented check with the receiver's secret. */
  verified: boolean;
  /** Date.now() when the body had arrived. */
  at: number;
}

/**
 * A status (the body is `{"received":true,…}`), a status with its own body and headers (e.g. a redirect's
 * location), optionally after `delayMs`, or no answer at all.
 */
export type Reply =
  | number
  | 'hang'
  | { status: number; body: string; contentType?: string; headers?: Record<string, string>; delayMs?: number };

/**
 * 'verify': 200 when the signature is valid, 400 when `t` is missing or not a number, else 401 — or what the
 * receiver's `flaw` makes of it. A function sees the request and its 0-based index.
 */
export type Answer = 'verify' | Reply | ((req: Received, index: number) => Reply);

/**
 * Bugs found in real receivers, for grading `check` (a receiver that answers 200 to anything is `answer: 200`):
 * - reserializes: JSON.parse then JSON.stringify, and verifies those bytes
 * - no-timestamp-check: uses t only inside the HMAC: no presence, format or age check
 * - crashes-on-length: timingSafeEqual without a length check: throws, and the server answers 500 as frameworks do
 * - first-v1-only: compares only the first v1
 * - refuses-duplicates: answers 409 to a delivery id it has already accepted
 */
export type ReceiverFlaw =
  'reserializes' | 'no-timestamp-check' | 'crashes-on-length' | 'first-v1-only' | 'refuses-duplicates';

export interface ReferenceReceiver {
  /** `http://127.0.0.1:<port><path>`. */
  url: string;
  port: number;
  received: Received[];
  /** What the next requests get; may be changed mid-test. */
  answer: Answer;
  /** Most requests in flight at once. */
  readonly maxInFlight: number;
  close(): Promise<void>;
}

const TOLERANCE_S = 300;

/** `t=…,v1=…,v1=…` read leniently (spaces around parts, unknown keys skipped): every v1, the last t. */
function parseHeader(header: string): { t?: string; v1: string[] } {
  const parsed: { t?: string; v1: string[] } = { v1: [] };
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') parsed.t = value;
    if (key === 'v1') parsed.v1.push(value);
  }
  return parsed;
}

/**
 * Pictify's documented check — HMAC-SHA256(secret, `${t}.${rawBody}`) in hex, any v1 may match, |now − t| ≤ 300 s —
 * or, with a flaw, what a receiver with that bug decides. 'malformed': t missing or not a number. Throws where the
 * flawed receiver would crash.
 */
export function referenceCheck(
  body: Buffer,
  header: string | string[] | undefined,
  secret: string,
  nowSeconds = Date.now() / 1000,
  flaw?: ReceiverFlaw,
): 'ok' | 'malformed' | 'rejected' {
  if (typeof header !== 'string' || header === '') return 'rejected';
  const { t, v1 } = parseHeader(header);
  if (flaw !== 'no-timestamp-check') {
    if (t === undefined || !/^\d+$/.test(t)) return 'malformed';
    if (Math.abs(nowSeconds - Number(t)) > TOLERANCE_S) return 'rejected';
  }
  const signed = flaw === 'reserializes' ? Buffer.from(JSON.stringify(JSON.parse(body.toString('utf8')))) : body;
  const expected = Buffer.from(createHmac('sha256', secret).update(`${t}.`).update(signed).digest('hex'));
  const candidates =
    flaw === 'first-v1-only' ? v1.slice(0, 1) : flaw === 'crashes-on-length' ? v1 : v1.filter((sig) => sig !== '');
  const matches = candidates.some((sig) => {
    const given = Buffer.from(sig);
    if (flaw === 'crashes-on-length') return timingSafeEqual(given, expected);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  return matches ? 'ok' : 'rejected';
}

/** Pictify's documented check, as a yes or no. */
export function referenceVerify(
  body: Buffer,
  header: string | string[] | undefined,
  secret: string,
  nowSeconds = Date.now() / 1000,
): boolean {
  return referenceCheck(body, header, secret, nowSeconds) === 'ok';
}

export interface ReferenceReceiverOptions {
  /** The secret deliveries are checked with (`verified`, and the 'verify' answer). */
  secret?: string;
  answer?: Answer;
  /** The path in `url`: '/webhooks' unless given ('' for the bare origin). Requests to any path are answered. */
  path?: string;
  /** Every answer waits this long. */
  delayMs?: number;
  /** Makes the 'verify' answer that of a receiver with this bug. */
  flaw?: ReceiverFlaw;
}

export async function startReferenceReceiver(options: ReferenceReceiverOptions = {}): Promise<ReferenceReceiver> {
  const received: Received[] = [];
  const accepted = new Set<string>();
  let inFlight = 0;
  let maxInFlight = 0;
  const server: Server = createServer((req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const verified =
        options.secret !== undefined && referenceVerify(body, req.headers['x-pictify-signature'], options.secret);
      const entry: Received = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body,
        verified,
        at: Date.now(),
      };
      const index = received.push(entry) - 1;
      const reply = replyTo(receiver.answer, entry, index);
      if (reply === 'hang') return;
      const delayMs = (typeof reply === 'object' ? reply.delayMs : undefined) ?? options.delayMs;
      const send = () => {
        inFlight--;
        if (res.destroyed) return;
        if (typeof reply === 'number') {
          res.writeHead(reply, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ received: true, status: reply, verified }));
        } else {
          res.writeHead(reply.status, { 'content-type': reply.contentType ?? 'text/plain', ...reply.headers });
          res.end(reply.body);
        }
      };
      if (delayMs) setTimeout(send, delayMs).unref();
      else send();
    });
  });
  /** What the receiver answers; a flaw that throws is answered 500, as Express and friends answer a handler's throw. */
  function replyTo(answer: Answer, entry: Received, index: number): Reply {
    if (typeof answer === 'function') return answer(entry, index);
    if (answer !== 'verify') return answer;
    let verdict: ReturnType<typeof referenceCheck>;
    try {
      verdict = referenceCheck(
        entry.body,
        entry.headers['x-pictify-signature'],
        options.secret ?? '',
        Date.now() / 1000,
        options.flaw,
      );
    } catch {
      return 500;
    }
    if (verdict !== 'ok') return verdict === 'malformed' ? 400 : 401;
    const id = entry.headers['x-pictify-delivery-id'];
    if (options.flaw === 'refuses-duplicates' && typeof id === 'string') {
      if (accepted.has(id)) return 409;
      accepted.add(id);
    }
    return 200;
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const receiver: ReferenceReceiver = {
    url: `http://127.0.0.1:${port}${options.path ?? '/webhooks'}`,
    port,
    received,
    answer: options.answer ?? 'verify',
    get maxInFlight() {
      return maxInFlight;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return receiver;
}

/** A port nothing listens on: bind, read the port, close. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
