// The Server-Sent Events stream of new deliveries: every open page gets each new summary as it is indexed.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SECURITY_HEADERS } from './guard.js';

const SSE_HEARTBEAT_MS = 15_000;

export class DeliveryStreams {
  readonly #open = new Set<ServerResponse>();

  /** A page subscribes: `hello` with the stored count, then a `delivery` per new one and a heartbeat. */
  open(req: IncomingMessage, res: ServerResponse, stored: number): void {
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      connection: 'keep-alive',
    });
    res.write(`retry: 1000\nevent: hello\ndata: ${JSON.stringify({ stored })}\n\n`);
    this.#open.add(res);
    const beat = setInterval(() => res.write(': keep-alive\n\n'), SSE_HEARTBEAT_MS);
    beat.unref();
    req.on('close', () => {
      clearInterval(beat);
      this.#open.delete(res);
    });
  }

  /** One new delivery's summary to every open page. */
  push(summary: unknown): void {
    if (this.#open.size === 0) return;
    const frame = `event: delivery\ndata: ${JSON.stringify(summary)}\n\n`;
    for (const res of this.#open) res.write(frame);
  }

  /** The server is closing: every stream ends. */
  endAll(): void {
    for (const res of this.#open) res.end();
    this.#open.clear();
  }
}
