// The web-standard handler: (Request) → Promise<Response>. Next.js App Router, Hono, Bun, Deno and Workers call it
// as is; the other adapters share its core.
import { createDeliveryProcessor, TOO_LARGE, type Reply, type WebhookHandlerOptions } from './core.js';

/** Reads a web body stream with a cap, so an oversized body is refused without being held in memory. */
export async function readWebBody(request: Request, maxBytes: number): Promise<Uint8Array | typeof TOO_LARGE> {
  if (request.bodyUsed) throw new Error(BODY_ALREADY_READ);
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return TOO_LARGE;
    }
    chunks.push(value);
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
}

export const BODY_ALREADY_READ =
  'pictify-hooks: the request body was already read (request.json(), .text() or .formData() ran first), so the ' +
  'raw bytes the signature covers are gone. Hand the untouched Request to the webhook handler.';

export function toResponse(answer: Reply): Response {
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}

/**
 * A webhook endpoint as a web-standard function: reads the raw bytes, verifies them, parses and validates the
 * event, then calls its handler in `on`. Answers 405 (not POST), 413 (over maxBodyBytes), 400 (malformed header
 * or body), 401 (bad signature or timestamp), 200 after the handler resolved (or threw acknowledge(error)), 500
 * when it threw (Pictify retries).
 */
export function createWebhookHandler(options: WebhookHandlerOptions): (request: Request) => Promise<Response> {
  const process = createDeliveryProcessor(options);
  return async (request) => {
    const answer = await process({
      method: request.method,
      header: (name) => request.headers.get(name) ?? undefined,
      readBody: (max) => readWebBody(request, max),
    });
    return toResponse(answer);
  };
}
