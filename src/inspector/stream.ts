// The Server-Sent Events stream of new deliveries: every open page gets each new summary as it is indexed.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SECURITY_HEADERS } from './guard.js';
import { json } from './respond.js';

const SSE_HEARTBEAT_MS = 15_000;

/**
 * Open pages at once (one stream each). Every stream gets every delivery's frame, so thousands of them slow the
 * deliveries themselves down (3,000 made delivery handling ~20× slower); 32 open pages is more than a person uses.
 */
export const MAX_STREAMS = 32;

export class DeliveryStreams {
  readonly #open = new Set<ServerResponse>();

  /**
   * A page subscribes: `hello` with the stored count and whether the index is complete, then a `delivery` per new
   * one, `indexed` when the index completes, and a heartbeat. Past MAX_STREAMS open ones: 503 `too_many_streams`
   * (the browser's EventSource does not retry after it).
   */
  open(req: IncomingMessage, res: ServerResponse, hello: { stored: number; complete: boolean }): void {
    if (this.#open.size >= MAX_STREAMS) {
      return json(res, 503, {
        error: 'too_many_streams',
        message: `${MAX_STREAMS} live streams are open already (one per open inspector page): close a page to follow deliveries live here`,
      });
    }
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      connection: 'keep-alive',
    });
    res.write(`retry: 1000\nevent: hello\ndata: ${JSON.stringify(hello)}\n\n`);
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

  /** Every stored delivery's facts are read: the pages' filters and chart are whole from now on. */
  indexed(): void {
    for (const res of this.#open) res.write('event: indexed\ndata: {}\n\n');
  }

  /** The server is closing: every stream ends. */
  endAll(): void {
    for (const res of this.#open) res.end();
    this.#open.clear();
  }
}
