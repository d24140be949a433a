// The one reference receiver for tests of what sends deliveries (send, sign, load mode, the emulator): a real
// node:http server on 127.0.0.1:0 that checks Pictify's documented signature itself with node:crypto — on purpose
// not src/signing — so senders are checked against the spec, not against our own verify. It records every request
// and answers what the test says. (Receivers with deliberate flaws, for grading `check`, are in
// test/unit/conformance/support/receivers.ts; listen's forward target is test/unit/receiver/deliver.ts's startApp.)
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

/** A status (the body is `{"received":true,…}`), a status with its own body, or no answer at all. */
export type Reply = number | 'hang' | { status: number; body: string; contentType?: string };

/** 'verify': 200 when the signature is valid, else 401. A function sees the request and its 0-based index. */
export type Answer = 'verify' | Reply | ((req: Received, index: number) => Reply);

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

/** Pictify's documented check: HMAC-SHA256(secret, `${t}.${rawBody}`) in hex, any v1 may match, |now − t| ≤ 300 s. */
export function referenceVerify(
  body: Buffer,
  header: string | string[] | undefined,
  secret: string,
  nowSeconds = Date.now() / 1000,
): boolean {
  if (typeof header !== 'string') return false;
  let t: number | undefined;
  const v1: string[] = [];
  for (const part of header.split(',')) {
    const [key, value] = part.split('=');
    if (key === 't') t = Number(value);
    if (key === 'v1' && value) v1.push(value);
  }
  if (t === undefined || !Number.isInteger(t) || Math.abs(nowSeconds - t) > 300) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(`${t}.`).update(body).digest('hex'));
  return v1.some((sig) => {
    const given = Buffer.from(sig);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

export async function startReferenceReceiver(
  options: { secret?: string; answer?: Answer; path?: string; delayMs?: number } = {},
): Promise<ReferenceReceiver> {
  const received: Received[] = [];
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
      const answer = receiver.answer;
      const reply: Reply =
        answer === 'verify' ? (verified ? 200 : 401) : typeof answer === 'function' ? answer(entry, index) : answer;
      if (reply === 'hang') return;
      const send = () => {
        inFlight--;
        if (typeof reply === 'number') {
          res.writeHead(reply, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ received: true, status: reply, verified }));
        } else {
          res.writeHead(reply.status, { 'content-type': reply.contentType ?? 'text/plain' });
          res.end(reply.body);
        }
      };
      if (options.delayMs) setTimeout(send, options.delayMs);
      else send();
    });
  });
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
