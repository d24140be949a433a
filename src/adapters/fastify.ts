// `pictify-hooks/fastify`: a plugin that owns one route. Fastify's default JSON parser would hand over a parsed
// object, so inside the plugin's own (encapsulated) context every content type is read as a raw Buffer instead —
// the rest of the app keeps its parsers.
//   app.register(pictifyWebhooks, { path: '/webhooks/pictify', secret, on: { … } })
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  createDeliveryProcessor,
  DEFAULT_MAX_BODY_BYTES,
  refusedBeforeBody,
  tooLarge,
  type Reply,
  type WebhookHandlerOptions,
} from './core.js';
import { stopReading } from './node-io.js';

export type { DeliveryContext, EventHandlers, WebhookHandlerOptions } from './core.js';
export { acknowledge } from './acknowledge.js';

export interface FastifyWebhookOptions extends WebhookHandlerOptions {
  /** The route, relative to the plugin's prefix (default '/': use `prefix` or set this). */
  path?: string;
}

const EMPTY = new Uint8Array(0);

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return value === undefined ? undefined : Array.isArray(value) ? value.join(',') : value;
}

/** Register with app.register(); do not wrap in fastify-plugin, or the raw parser would leak to the whole app. */
export function pictifyWebhooks(
  fastify: FastifyInstance,
  options: FastifyWebhookOptions,
  done: (error?: Error) => void,
) {
  const { path = '/', ...handlerOptions } = options;
  const process = createDeliveryProcessor(handlerOptions);
  const bodyLimit = handlerOptions.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_request, body, parsed) => parsed(null, body));
  // Fastify's own 413 (a chunked body past the limit) leaves the rest of the body flowing into the void: answer
  // it as the other adapters do, and stop reading.
  fastify.setErrorHandler((error: Error & { code?: string }, request, reply) => {
    if (error.code !== 'FST_ERR_CTP_BODY_TOO_LARGE') throw error;
    stopReading(request.raw, reply.raw);
    return send(reply, tooLarge(bodyLimit));
  });
  // Before the body is parsed: a request refused by its head is not read at all.
  const onRequest = async (request: FastifyRequest, reply: FastifyReply) => {
    const refused = refusedBeforeBody(request.method, (name) => header(request, name), bodyLimit);
    if (!refused) return;
    if (refused.headers.connection === 'close') stopReading(request.raw, reply.raw);
    return send(reply, refused);
  };
  fastify.all(path, { onRequest }, async (request: FastifyRequest, reply: FastifyReply) => {
    const body = request.body;
    const answer = await process({
      method: request.method,
      header: (name) => header(request, name),
      readBody: async () => (body instanceof Uint8Array ? body : EMPTY),
    });
    return send(reply, answer);
  });
  done();
}

function send(reply: FastifyReply, answer: Reply): FastifyReply {
  return reply.code(answer.status).headers(answer.headers).send(answer.body);
}
