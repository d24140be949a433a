// `pictify-hooks/next`: App Router route handlers are web-standard (Request) → Response functions, so this is the
// web core under the name a route file reads well with:
//   // app/webhooks/pictify/route.ts
//   export const POST = pictifyRoute({ secret: process.env.PICTIFY_WEBHOOK_SECRET, on: { … } });
// Never call request.json() or request.text() first: the handler needs the untouched bytes.
import type { WebhookHandlerOptions } from './core.js';
import { createWebhookHandler } from './web.js';

export type { DeliveryContext, EventHandlers, WebhookHandlerOptions } from './core.js';
export { acknowledge } from './acknowledge.js';

export function pictifyRoute(options: WebhookHandlerOptions): (request: Request) => Promise<Response> {
  return createWebhookHandler(options);
}
