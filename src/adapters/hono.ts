// `pictify-hooks/hono`: a Hono handler. The body comes from c.req.arrayBuffer(), which Hono caches, so it works
// after middleware that looked at the body too — as long as nothing replaced the request.
//   app.post('/webhooks/pictify', pictifyWebhooks({ secret, on: { … } }))
import type { Context } from 'hono';
import { createDeliveryProcessor, TOO_LARGE, type WebhookHandlerOptions } from './core.js';
import { toResponse } from './web.js';

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
          // The size was checked against Content-Length already; this catches a chunked body that is too big.
          const bytes = new Uint8Array(await c.req.arrayBuffer());
          return bytes.byteLength > max ? TOO_LARGE : bytes;
        },
      }),
    );
}
