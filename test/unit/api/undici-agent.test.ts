// The one test that goes over a real socket: global fetch + our undici Agent against node:http.
// No msw in this file, so nothing intercepts fetch.

import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../src/errors.js';
import { createApiClient } from '../../../src/api/index.js';

describe('real undici Agent dispatcher', () => {
  let srv: Server;
  let base: string;
  const received: Array<{ method?: string; url?: string; headers: IncomingMessage['headers']; body: string }> = [];
  let connections = 0;

  beforeAll(async () => {
    srv = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push({ method: req.method, url: req.url, headers: req.headers, body });
        res.setHeader('Content-Type', 'application/json');
        res.setHeader('X-RateLimit-Remaining', '41');
        if (req.method === 'POST') {
          res.statusCode = 201;
          res.end(
            JSON.stringify({
              subscription: { uid: 'sub_real', ...JSON.parse(body), status: 'active', secret: 'whsec_real' },
            }),
          );
        } else {
          res.end(JSON.stringify({ subscriptions: [{ uid: 'sub_real', event: 'render.completed' }] }));
        }
      });
    });
    srv.on('connection', () => connections++);
    await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    vi.restoreAllMocks();
    srv.closeAllConnections();
    await new Promise((resolve) => srv.close(resolve));
  });

  it('sends through the Agent, reuses the keep-alive socket, and parses the answers', async () => {
    const dispatch = vi.spyOn(Agent.prototype, 'dispatch');
    const client = createApiClient({
      baseUrl: `${base}/`,
      apiKey: 'pk_real_0123456789',
      userAgent: 'pictify-hooks/real',
    });
    try {
      const page = await client.listSubscriptions({ limit: 1 });
      await client.listSubscriptions({ limit: 1 });
      await client.listSubscriptions({ limit: 1 });
      const created = await client.createSubscription({ event: 'render.failed', targetUrl: 'https://e.x/h' });

      expect(page.subscriptions[0].uid).toBe('sub_real');
      expect(created).toMatchObject({ uid: 'sub_real', event: 'render.failed', secret: 'whsec_real' });
      expect(client.lastRateLimit).toEqual({ remaining: 41 });
      expect(dispatch).toHaveBeenCalledTimes(4);
      // undici may open a second socket while the first is still being released; after that it reuses.
      expect(connections).toBeLessThanOrEqual(2);
      expect(received.map((r) => `${r.method} ${r.url}`)).toEqual([
        'GET /webhook-subscriptions?limit=1',
        'GET /webhook-subscriptions?limit=1',
        'GET /webhook-subscriptions?limit=1',
        'POST /webhook-subscriptions',
      ]);
      expect(received[3].headers).toMatchObject({
        authorization: 'Bearer pk_real_0123456789',
        'user-agent': 'pictify-hooks/real',
        'content-type': 'application/json',
        accept: 'application/json',
        connection: 'keep-alive',
      });
      expect(received[3].headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      await client.close();
    }
  });

  it('reports a refused connection by name after retrying', async () => {
    // A port that was just free: nothing listens there.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));

    const sleeps: number[] = [];
    const client = createApiClient({
      baseUrl: `http://127.0.0.1:${port}`,
      apiKey: 'pk_real_0123456789',
      userAgent: 'pictify-hooks/real',
      sleep: async (ms) => void sleeps.push(ms),
    });
    try {
      const err = await client.getSubscription('sub_1').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).message).toBe(
        `could not connect to http://127.0.0.1:${port} (connection refused); gave up after 4 attempts`,
      );
      expect((err as ApiError).code).toBe('ECONNREFUSED');
      expect(sleeps).toHaveLength(3);
    } finally {
      await client.close();
    }
  });
});
