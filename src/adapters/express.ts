// `pictify-hooks/express`: middleware that reads the raw body itself. A body parser that ran first (express.json())
// has consumed and re-encoded the bytes, so verifying would fail with a confusing signature mismatch; instead the
// middleware stops with an error that says how to mount it.
import type { NextFunction, Request, Response } from 'express';
import { createDeliveryProcessor, TOO_LARGE, type WebhookHandlerOptions } from './core.js';
import { nodeDelivery, writeReply } from './node-io.js';

export type { DeliveryContext, EventHandlers, WebhookHandlerOptions } from './core.js';
export { acknowledge } from './acknowledge.js';

export const BODY_ALREADY_PARSED =
  'pictify-hooks: the request body was already parsed (req.body is set) before the Pictify webhook middleware ran, ' +
  'so the raw bytes the signature covers are gone. Mount pictifyWebhooks() before express.json() — e.g. ' +
  "app.post('/webhooks/pictify', pictifyWebhooks(options)) above app.use(express.json()) — or put the JSON parser " +
  'only on your other routes.';

/** The error passed to next() when a body parser ran first; `code` is stable for error handlers. */
export class BodyAlreadyParsedError extends Error {
  readonly code = 'PICTIFY_BODY_ALREADY_PARSED';
  constructor() {
    super(BODY_ALREADY_PARSED);
    this.name = 'BodyAlreadyParsedError';
  }
}

/**
 * `app.post('/webhooks/pictify', pictifyWebhooks({ secret, on: { … } }))`. Answers the request itself (see
 * createWebhookHandler for the statuses). A Buffer in req.body (express.raw()) is used as the raw body.
 */
export function pictifyWebhooks(
  options: WebhookHandlerOptions,
): (req: Request, res: Response, next: NextFunction) => Promise<void> {
  const process = createDeliveryProcessor(options);
  return async (req, res, next) => {
    const body: unknown = req.body;
    const raw = Buffer.isBuffer(body) ? body : undefined;
    if ((body !== undefined && raw === undefined) || (raw === undefined && req.readableEnded)) {
      next(new BodyAlreadyParsedError());
      return;
    }
    const delivery = nodeDelivery(req, res);
    if (raw !== undefined) delivery.readBody = async (max) => (raw.length > max ? TOO_LARGE : raw);
    try {
      writeReply(res, await process(delivery));
    } catch (error) {
      next(error);
    }
  };
}
