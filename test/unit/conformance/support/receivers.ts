// Receivers for testing `check`, on 127.0.0.1 port 0. "correct" is an independent reference written with
// node:crypto only (not our src/signing), so the suite is graded against a second implementation; each flaw is a
// bug found in real receivers.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ReceiverFlaw =
  | 'correct'
  /** (a) answers 200 to anything */
  | 'accepts-everything'
  /** (b) JSON.parse then JSON.stringify, and verifies those bytes */
  | 'reserializes'
  /** (c) uses t only inside the HMAC: no presence, format or age check */
  | 'no-timestamp-check'
  /** (d) timingSafeEqual without a length check: throws, the framework answers 500 */
  | 'crashes-on-length'
  /** (e) compares only the first v1 */
  | 'first-v1-only'
  /** refuses a delivery id it has already seen */
  | 'refuses-duplicates';

export interface TestReceiver {
  url: string;
  /** Every request received, in order. */
  received: { headers: IncomingMessage['headers']; body: Buffer }[];
  close(): Promise<void>;
}

const TOLERANCE = 300;

function hmac(secret: string, t: string | undefined, body: Buffer): string {
  return createHmac('sha256', secret).update(`${t}.`).update(body).digest('hex');
}

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

function safeEqualHex(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** Returns the status to answer; throws where a flawed receiver would crash. */
function verdict(
  flaw: ReceiverFlaw,
  secret: string,
  rawBody: Buffer,
  header: string | undefined,
  seen: Set<string>,
  deliveryId: string | undefined,
): number {
  if (flaw === 'accepts-everything') return 200;
  if (!header) return 401;
  const { t, v1 } = parseHeader(header);
  const body = flaw === 'reserializes' ? Buffer.from(JSON.stringify(JSON.parse(rawBody.toString('utf8')))) : rawBody;

  if (flaw !== 'no-timestamp-check') {
    if (t === undefined || !/^\d+$/.test(t)) return 400;
    if (Math.abs(Math.floor(Date.now() / 1000) - Number(t)) > TOLERANCE) return 401;
  }
  const expected = hmac(secret, t, body);
  const candidates =
    flaw === 'first-v1-only' ? v1.slice(0, 1) : flaw === 'crashes-on-length' ? v1 : v1.filter((s) => s !== '');
  const matches =
    flaw === 'crashes-on-length'
      ? candidates.some((s) => timingSafeEqual(Buffer.from(s), Buffer.from(expected)))
      : candidates.some((s) => safeEqualHex(s, expected));
  if (!matches) return 401;

  JSON.parse(rawBody.toString('utf8')); // only after verifying
  if (flaw === 'refuses-duplicates' && deliveryId) {
    if (seen.has(deliveryId)) return 409;
    seen.add(deliveryId);
  }
  return 200;
}

export async function startTestReceiver(
  secret: string,
  flaw: ReceiverFlaw = 'correct',
  options: { delayMs?: number } = {},
): Promise<TestReceiver> {
  const received: TestReceiver['received'] = [];
  const seen = new Set<string>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      received.push({ headers: req.headers, body });
      let status: number;
      try {
        status = verdict(
          flaw,
          secret,
          body,
          req.headers['x-pictify-signature'] as string | undefined,
          seen,
          req.headers['x-pictify-delivery-id'] as string | undefined,
        );
      } catch {
        status = 500; // what Express and friends answer to an exception in a handler
      }
      const answer = () => res.writeHead(status, { 'content-type': 'text/plain' }).end(String(status));
      if (options.delayMs) setTimeout(answer, options.delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/pictify`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
