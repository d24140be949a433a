// `pictify-hooks/node`: a (req, res) handler for plain node:http (and anything that hands over Node's objects).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createDeliveryProcessor, type WebhookHandlerOptions } from './core.js';
import { nodeDelivery, writeReply } from './node-io.js';

export type { DeliveryContext, EventHandlers, WebhookHandlerOptions } from './core.js';
export { acknowledge } from './acknowledge.js';

/**
 * `createServer(pictifyHandler({ secret, on: { 'render.completed': (event) => … } }))`. Reads the raw body itself;
 * answers like createWebhookHandler. The promise it returns settles once the answer is written.
 */
export function pictifyHandler(
  options: WebhookHandlerOptions,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const process = createDeliveryProcessor(options);
  return async (req, res) => {
    try {
      writeReply(res, await process(nodeDelivery(req, res)));
    } catch {
      // Only a body stream that failed mid-way lands here: the client is gone, there is nobody to answer.
      if (!res.headersSent && !res.destroyed) writeReply(res, { status: 400, headers: {}, body: '' });
    }
  };
}
