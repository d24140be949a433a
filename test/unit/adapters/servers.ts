// Real framework apps on 127.0.0.1:0 with our adapters mounted, for the conformance and pitfall tests.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import { pictifyWebhooks as expressWebhooks } from '../../../src/adapters/express.js';
import { pictifyWebhooks as fastifyWebhooks } from '../../../src/adapters/fastify.js';
import { pictifyWebhooks as honoWebhooks } from '../../../src/adapters/hono.js';
import { pictifyHandler } from '../../../src/adapters/node.js';
import { pictifyRoute } from '../../../src/adapters/next.js';
import type { WebhookHandlerOptions } from '../../../src/adapters/core.js';

export const PATH = '/webhooks/pictify';

export interface RunningApp {
  url: string;
  close(): Promise<void>;
}

function listening(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}${PATH}`));
  });
}

function closing(server: Server): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
}

export async function nodeApp(options: WebhookHandlerOptions): Promise<RunningApp> {
  const handle = pictifyHandler(options);
  const server = createServer((req, res) => {
    if (req.url?.split('?')[0] === PATH) void handle(req, res);
    else res.writeHead(404).end();
  });
  return { url: await listening(server), close: closing(server) };
}

/**
 * `jsonFirst`: the pitfall — express.json() mounted app-wide before the webhook route. `defaultErrorPage`: no error
 * handler of the app's own, so errors reach Express's default HTML page (what a new app has).
 */
export async function expressApp(
  options: WebhookHandlerOptions,
  setup: { jsonFirst?: boolean; errors?: string[]; defaultErrorPage?: boolean } = {},
): Promise<RunningApp> {
  const app = express();
  if (setup.jsonFirst) app.use(express.json());
  app.post(PATH, expressWebhooks(options));
  app.use(express.json());
  app.post('/api/echo', (req, res) => void res.json(req.body));
  if (!setup.defaultErrorPage) {
    app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      setup.errors?.push(error.message);
      res.status(500).json({ error: error.message });
    });
  }
  const server = createServer(app);
  return { url: await listening(server), close: closing(server) };
}

/** A Fastify app that keeps its default JSON parser for its other routes. */
export async function fastifyApp(options: WebhookHandlerOptions): Promise<RunningApp> {
  const app = Fastify();
  app.post('/api/echo', async (request) => ({ parsed: request.body }));
  await app.register(fastifyWebhooks, { ...options, path: PATH });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${PATH}`,
    close: async () => {
      await app.close();
    },
  };
}

export async function honoApp(options: WebhookHandlerOptions): Promise<RunningApp> {
  const app = new Hono();
  app.post(PATH, honoWebhooks(options));
  app.post('/api/echo', async (c) => c.json(await c.req.json()));
  return serveFetch(app.fetch);
}

/** A Next.js App Router route module is `export const POST = pictifyRoute(…)`: served here by a web server. */
export async function nextApp(options: WebhookHandlerOptions): Promise<RunningApp> {
  const POST = pictifyRoute(options);
  return serveFetch((request: Request) =>
    new URL(request.url).pathname === PATH && request.method === 'POST'
      ? POST(request)
      : new Response(null, { status: 404 }),
  );
}

async function serveFetch(fetch: (request: Request) => Response | Promise<Response>): Promise<RunningApp> {
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s as Server));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${PATH}`,
    close: closing(server),
  };
}
