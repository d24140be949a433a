// Test helper: signed Pictify deliveries and plain HTTP requests against real servers on 127.0.0.1.
import { request as httpRequest } from 'node:http';
import { buildDelivery, newDeliveryId, type SignedRequest } from '../../../src/outbound/build.js';
import { buildSampleEvent, type EventName } from '../../../src/events/index.js';
import { startReferenceReceiver, type Received } from '../../helpers/reference-receiver.js';

export const SECRET = 'whsec_test_secret_0123456789';

export function signedSample(
  event: EventName,
  options: {
    secret?: string | string[];
    nowMs: number;
    deliveryId?: string;
    body?: string | Buffer;
    timestampOffsetS?: number;
  },
): SignedRequest {
  const deliveryId = options.deliveryId ?? newDeliveryId();
  const body = options.body ?? JSON.stringify(buildSampleEvent(event, { deliveryId, now: options.nowMs }));
  return buildDelivery({
    body,
    secret: options.secret ?? SECRET,
    timestamp: Math.floor(options.nowMs / 1000) + (options.timestampOffsetS ?? 0),
    event,
    deliveryId,
  });
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A plain node:http request (for methods, odd headers and chunked bodies undici would not send as-is). */
export function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: Buffer | string | Buffer[] } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: options.method ?? 'POST', headers: options.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    const body = options.body;
    if (Array.isArray(body)) {
      for (const part of body) req.write(part);
      req.end();
    } else req.end(body);
  });
}

export interface AppServer {
  /** The bare origin, `http://127.0.0.1:<port>`. */
  url: string;
  requests: Received[];
  close(): Promise<void>;
}

/** The user's app behind listen's --forward-to: the reference receiver, answering as the test decides. */
export async function startApp(
  answer: (req: Received) => { status: number; body?: string; delayMs?: number; contentType?: string },
): Promise<AppServer> {
  const app = await startReferenceReceiver({
    path: '',
    answer: (req) => {
      const { status, body = '', delayMs, contentType = 'application/json' } = answer(req);
      return { status, body, delayMs, contentType };
    },
  });
  return { url: app.url, requests: app.received, close: app.close };
}

/** Polls for a file (listen's --ready-file) and returns its trimmed content. */
export async function waitForFile(path: string, timeoutMs = 10_000): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return (await readFile(path, 'utf8')).trim();
    } catch {
      if (Date.now() > deadline) throw new Error(`${path} did not appear within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
