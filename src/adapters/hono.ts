// `pictify-hooks/hono`: a Hono handler. The body is streamed from the request under the size cap; after middleware
// that already read it (Hono caches what c.req.arrayBuffer() and friends read) the cached bytes are used.
//   app.post('/webhooks/pictify', pictifyWebhooks({ secret, on: { … } }))
import type { Context } from 'hono';
import { createDeliveryProcessor, TOO_LARGE, type WebhookHandlerOptions } from './core.js';
import { readWebBody, toResponse } from './web.js';

export type { DeliveryContext, EventHandlers, WebhookHandlerOptions } from './core.js';
export { acknowledge } from './acknowledge.js';

export function pictifyWebhooks(options: WebhookHandlerOptions): (c: Context) => Promise<Response> {
  const process = createDeliveryProcessor(options);
  return async (c) =>
    toResponse(
      await process({
        method: c.req.method,
        header: (name) => c.req.header(name),
        readBody: async (max) => {
          // Read whole only when a middleware already did (and Hono holds it): a chunked body is not bounded by
          // any Content-Length, so it is read under the cap.
          if (!c.req.raw.bodyUsed) return readWebBody(c.req.raw, max);
          const bytes = new Uint8Array(await c.req.arrayBuffer());
          return bytes.byteLength > max ? TOO_LARGE : bytes;
        },
      }),
    );
}
