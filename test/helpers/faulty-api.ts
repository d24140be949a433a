// An independent fake of Pictify's /webhook-subscriptions on real node:http (port 0), written from the documented
// contract rather than from the emulator, that honours Idempotency-Key and injects faults into chosen requests:
// 429 with Retry-After before acting, or act (create, update, delete) and then answer 5xx, drop the connection or
// hang past the client's timeout. It counts what it did, so a test can tell a replay from a second create.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export type Fault = 'rate-limit' | 'error-after' | 'drop-after' | 'hang-after';

export interface FakeSub {
  uid: string;
  event: string;
  targetUrl: string;
  platform: string;
  status: string;
  filters: Record<string, string>;
  secret: string;
  createdAt: string;
}

export interface FaultyApi {
  url: string;
  subs: Map<string, FakeSub>;
  /** Every request as `METHOD path`. */
  log: string[];
  /** Creates that made a new subscription (replays excluded). */
  created: number;
  replays: number;
  /**
   * Faults still to inject: the first entry whose `match` fits `METHOD path` is used up, once it has let `skip`
   * matching requests through.
   */
  faults: Array<{ match: RegExp; fault: Fault; skip?: number }>;
  injected: Record<Fault, number>;
  close(): Promise<void>;
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

const publicOf = ({ secret: _s, ...rest }: FakeSub) => rest;

export async function startFaultyApi(): Promise<FaultyApi> {
  const replies = new Map<string, { status: number; body: unknown }>();
  let n = 0;
  const hung: ServerResponse[] = [];
  const api: FaultyApi = {
    url: '',
    subs: new Map(),
    log: [],
    created: 0,
    replays: 0,
    faults: [],
    injected: { 'rate-limit': 0, 'error-after': 0, 'drop-after': 0, 'hang-after': 0 },
    close: async () => {
      for (const res of hung) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };

  function act(req: IncomingMessage, path: string, body: Record<string, unknown>): { status: number; body: unknown } {
    const uid = path.split('/')[2];
    if (req.method === 'GET' && !uid) {
      const url = new URL(path, 'http://x');
      const page = Number(url.searchParams.get('page') ?? 1);
      const limit = 2; // small pages, so every page must be read
      const all = [...api.subs.values()].map(publicOf);
      const totalPages = Math.max(1, Math.ceil(all.length / limit));
      return {
        status: 200,
        body: {
          subscriptions: all.slice((page - 1) * limit, page * limit),
          pagination: { page, limit, total: all.length, totalPages, hasNext: page < totalPages, hasPrev: page > 1 },
        },
      };
    }
    if (req.method === 'POST' && !uid) {
      const sub: FakeSub = {
        uid: `sub_${++n}`,
        event: String(body.event),
        targetUrl: String(body.targetUrl),
        platform: String(body.platform ?? 'custom'),
        status: 'active',
        filters: (body.filters as Record<string, string>) ?? {},
        secret: `whsec_${randomBytes(12).toString('hex')}`,
        createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
      };
      api.subs.set(sub.uid, sub);
      api.created++;
      return { status: 201, body: { subscription: sub } };
    }
    const sub = uid ? api.subs.get(uid.split('?')[0]!) : undefined;
    if (!sub) return { status: 404, body: { title: 'Not Found', status: 404 } };
    if (req.method === 'PUT') {
      if (typeof body.targetUrl === 'string') sub.targetUrl = body.targetUrl;
      if (body.filters !== undefined) sub.filters = body.filters as Record<string, string>;
      if (typeof body.status === 'string') sub.status = body.status;
      return { status: 200, body: { subscription: publicOf(sub) } };
    }
    if (req.method === 'DELETE') {
      api.subs.delete(sub.uid);
      return { status: 204, body: undefined };
    }
    return { status: 200, body: { subscription: publicOf(sub) } };
  }

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      const line = `${req.method} ${path}`;
      api.log.push(line);
      const text = Buffer.concat(chunks).toString();
      const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      const index = api.faults.findIndex((f) => f.match.test(line));
      let fault: Fault | undefined;
      if (index >= 0 && (api.faults[index]!.skip ?? 0) > 0) api.faults[index]!.skip!--;
      else if (index >= 0) fault = api.faults.splice(index, 1)[0]!.fault;
      if (fault) api.injected[fault]++;
      if (fault === 'rate-limit') return json(res, 429, { title: 'Too Many Requests' }, { 'retry-after': '1' });

      const key = req.method === 'POST' ? req.headers['idempotency-key'] : undefined;
      let reply: { status: number; body: unknown };
      const previous = typeof key === 'string' ? replies.get(key) : undefined;
      if (previous) {
        api.replays++;
        reply = previous;
      } else {
        reply = act(req, path, body);
        if (typeof key === 'string') replies.set(key, reply);
      }
      if (fault === 'error-after') return json(res, 500, { title: 'Internal Server Error' });
      if (fault === 'drop-after') return req.socket.destroy();
      if (fault === 'hang-after') return void hung.push(res);
      if (reply.body === undefined) {
        res.writeHead(reply.status);
        return res.end();
      }
      json(res, reply.status, reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  api.url = `http://127.0.0.1:${address.port}`;
  return api;
}
