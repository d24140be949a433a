// The inspector's routes, in the order a request meets them: the Host check, the static assets (no token), the
// page (token in the link), then the API (token; POST also needs the page's Origin and the token as a header).
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { InspectorApi } from './api.js';
import type { DeliveryIndex } from './delivery-index.js';
import { checkHost, checkOrigin, checkToken, type Refusal } from './guard.js';
import { pageHtml, refusedPageHtml } from './page.js';
import type { ReplayInput } from './replay.js';
import { json, readJson, refuse, send, type Json } from './respond.js';
import type { DeliveryStreams } from './stream.js';
import { STYLES } from './styles.js';
import { parseFilter, summarize } from './summary.js';

export const HOST = '127.0.0.1';
const WEB_DIR = new URL('./web/', import.meta.url);
const DELIVERY_ID = '([A-Za-z0-9_-]{1,100})';

/** What the routes serve from: the running server's port and token, the API, the index and the open streams. */
export interface Served {
  port: number;
  token: string;
  api: InspectorApi;
  index: DeliveryIndex;
  streams: DeliveryStreams;
}

export async function route(req: IncomingMessage, res: ServerResponse, at: Served): Promise<void> {
  const rules = { port: at.port, token: at.token };
  const hostRefusal = checkHost(req.headers.host, rules);
  if (hostRefusal) return refuse(res, hostRefusal);
  const url = new URL(req.url ?? '/', `http://${HOST}:${at.port}`);
  const path = url.pathname;
  const method = req.method ?? 'GET';
  // Assets carry no data: they load without the token (the page itself does not).
  if (method === 'GET' && (await servedAsset(res, path))) return;

  const header = req.headers['x-inspector-token'];
  const given = typeof header === 'string' && header !== '' ? header : undefined;
  const tokenRefusal = checkToken(given ?? url.searchParams.get('token'), rules);
  if (path === '/' && method === 'GET') return servePage(res, tokenRefusal);
  if (tokenRefusal) return refuse(res, tokenRefusal);
  // Every answer below reads the index: on a large store its lines are still being found for a moment after Ready.
  await at.index.lines?.catch(() => undefined);
  if (method === 'POST') return post(req, res, path, given, at);
  if (method !== 'GET') return json(res, 405, { error: 'method_not_allowed', message: `${method} is not served here` });
  if (path === '/api/stream') return at.streams.open(req, res, { stored: at.index.size, complete: at.index.complete });
  return get(res, path, url.searchParams, at);
}

/** The stylesheet, a script of web/, the favicon: true when `path` was one of them (answered, maybe with 404). */
async function servedAsset(res: ServerResponse, path: string): Promise<boolean> {
  if (path === '/assets/inspector.css') {
    send(res, 200, STYLES, 'text/css; charset=utf-8');
    return true;
  }
  const asset = /^\/assets\/([a-z-]+\.js)$/.exec(path);
  if (asset) {
    const text = await readFile(new URL(asset[1], WEB_DIR), 'utf8').catch(() => undefined);
    if (text === undefined) json(res, 404, { error: 'not_found', message: `no asset ${asset[1]}` });
    else send(res, 200, text, 'text/javascript; charset=utf-8');
    return true;
  }
  if (path === '/favicon.ico') {
    send(res, 204, '', 'text/plain');
    return true;
  }
  return false;
}

/** The page, or a page saying why not (a bookmarked link from an earlier run has an old token). */
function servePage(res: ServerResponse, tokenRefusal: Refusal | undefined): void {
  if (tokenRefusal)
    return send(res, tokenRefusal.status, refusedPageHtml(tokenRefusal.message), 'text/html; charset=utf-8');
  send(res, 200, pageHtml(), 'text/html; charset=utf-8');
}

/** The one POST: replay a stored delivery. */
async function post(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  tokenHeader: string | undefined,
  at: Served,
): Promise<void> {
  const originRefusal = checkOrigin(req.headers.origin, req.headers.host);
  if (originRefusal) return refuse(res, originRefusal);
  // The token must come as a header: a query string is not proof the page itself asked.
  if (tokenHeader === undefined)
    return refuse(res, { status: 401, error: 'missing_token', message: 'send the token in X-Inspector-Token' });
  const m = new RegExp(`^/api/deliveries/${DELIVERY_ID}/replay$`).exec(path);
  if (!m) return json(res, 404, { error: 'not_found', message: `no POST ${path}` });
  if (at.api.readOnly) {
    return json(res, 409, {
      error: 'read_only',
      message: 'this inspector browses a store without receiving: run `pictify-hooks listen --ui` to replay',
    });
  }
  const input: Partial<ReplayInput> & Record<string, unknown> = await readJson(req);
  const record = await at.api.replay(m[1], {
    mode: input.mode === 'as-is' ? 'as-is' : 'resigned',
    target: typeof input.target === 'string' ? input.target : undefined,
    body: input.body === undefined ? undefined : (input.body as string),
    secretLabel: typeof input.secretLabel === 'string' ? input.secretLabel : undefined,
  });
  const found = await at.index.get(record.id);
  json(res, 201, { delivery: summarize(record, found?.seq ?? -1) });
}

/** A GET route of the API: its path, and what it answers with (undefined: that delivery is not stored). */
interface GetRoute {
  path: RegExp;
  answer(match: RegExpExecArray, query: URLSearchParams, at: Served): Json | undefined | Promise<Json | undefined>;
}

/** A paging parameter: a plain non-negative integer, else ignored. */
function int(query: URLSearchParams, name: string): number | undefined {
  const v = query.get(name);
  return v !== null && /^\d{1,9}$/.test(v) ? Number(v) : undefined;
}

const GET_ROUTES: readonly GetRoute[] = [
  { path: /^\/api\/info$/, answer: (_m, _q, at) => at.api.info() },
  {
    path: /^\/api\/deliveries$/,
    answer: async (_m, q, at) => ({
      ...(await at.index.list(parseFilter(q), {
        offset: int(q, 'offset'),
        limit: int(q, 'limit'),
        until: int(q, 'until'),
      })),
    }),
  },
  {
    path: /^\/api\/histogram$/,
    answer: async (_m, q, at) => ({ ...(await at.index.histogram(parseFilter(q), int(q, 'until'))) }),
  },
  { path: new RegExp(`^/api/deliveries/${DELIVERY_ID}$`), answer: (m, _q, at) => at.api.detail(m[1]) },
  { path: new RegExp(`^/api/deliveries/${DELIVERY_ID}/diff$`), answer: (m, _q, at) => at.api.diff(m[1]) },
];

async function get(res: ServerResponse, path: string, query: URLSearchParams, at: Served): Promise<void> {
  for (const r of GET_ROUTES) {
    const m = r.path.exec(path);
    if (!m) continue;
    const value = await r.answer(m, query, at);
    if (value === undefined) return json(res, 404, { error: 'not_found', message: `no stored delivery ${m[1]}` });
    return json(res, 200, value);
  }
  json(res, 404, { error: 'not_found', message: `no ${path}` });
}
