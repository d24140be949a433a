// The same rules on the real wire: node:http servers on two loopback ports are two origins (no msw here, so the
// client's global fetch and undici Agent do the real work).
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createApiClient } from '../../../src/api/index.js';
import { KEY, UA, caught, sub } from '../../helpers/msw-api.js';

describe('redirects (real servers on two loopback ports)', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) {
      s.closeAllConnections();
      await new Promise((resolve) => s.close(resolve));
    }
  });

  async function listen(handler: (req: IncomingMessage, body: string) => [number, Record<string, string>, string]) {
    const received: Array<{ method?: string; url?: string; headers: IncomingMessage['headers']; body: string }> = [];
    const srv = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c));
      req.on('end', () => {
        received.push({ method: req.method, url: req.url, headers: req.headers, body });
        const [status, headers, text] = handler(req, body);
        res.writeHead(status, headers).end(text);
      });
    });
    servers.push(srv);
    await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
    return { base: `http://127.0.0.1:${(srv.address() as AddressInfo).port}`, received };
  }

  it('create: a 307 to another port gets neither the body, the key nor the Idempotency-Key', async () => {
    const other = await listen(() => [
      201,
      { 'content-type': 'application/json' },
      JSON.stringify({ subscription: sub({ secret: 'whsec_chosen_by_other' }) }),
    ]);
    const api = await listen(() => [307, { location: `${other.base}/webhook-subscriptions` }, '']);
    const client = createApiClient({ baseUrl: api.base, apiKey: KEY, userAgent: UA });
    try {
      const err = await caught(client.createSubscription({ event: 'render.completed', targetUrl: 'https://a.test/h' }));
      expect(err).toMatchObject({ code: 'redirect_cross_origin', status: 307 });
      expect(err.location).toBe(`${other.base}/webhook-subscriptions`);
      expect(api.received).toHaveLength(1);
      expect(api.received[0].headers['idempotency-key']).toBeTruthy();
      expect(other.received).toEqual([]);
    } finally {
      await client.close();
    }
  });

  it('GET: a same-origin redirect on the real wire is followed', async () => {
    const api = await listen((req) =>
      req.url === '/webhook-subscriptions/sub_123'
        ? [302, { location: '/moved/sub_123' }, '']
        : [200, { 'content-type': 'application/json' }, JSON.stringify({ subscription: sub() })],
    );
    const client = createApiClient({ baseUrl: api.base, apiKey: KEY, userAgent: UA });
    try {
      expect(await client.getSubscription('sub_123')).toEqual(sub());
      expect(api.received.map((r) => r.url)).toEqual(['/webhook-subscriptions/sub_123', '/moved/sub_123']);
    } finally {
      await client.close();
    }
  });
});
