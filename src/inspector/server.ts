// The inspector's HTTP server: one page, its static assets, a JSON API over the delivery index and a Server-Sent
// Events stream of new deliveries. Bound to 127.0.0.1 only; every request passes the guard first.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { secretLabel, type SourcedSecret } from '../signing/secret-source.js';
import type { EventRecord } from '../store/event-store-record.js';
import { copyCommands } from './copy-commands.js';
import type { DeliveryIndex } from './delivery-index.js';
import { deliveryDetail, prettyBody } from './detail.js';
import { lineDiff } from './diff.js';
import { checkHost, checkOrigin, checkToken, SECURITY_HEADERS, type Refusal } from './guard.js';
import { pageHtml, refusedPageHtml } from './page.js';
import { replay, ReplayRefused, type ReplayInput } from './replay.js';
import { STYLES } from './styles.js';
import { parseFilter, summarize } from './summary.js';
import { ANSWER_WINDOW_MS } from '../api/contract.js';

const HOST = '127.0.0.1';
const MAX_REQUEST_BYTES = 2 * 1024 * 1024;
const SSE_HEARTBEAT_MS = 15_000;
const WEB_DIR = new URL('./web/', import.meta.url);

export interface InspectorOptions {
  /** 0 picks a free port. */
  port: number;
  index: DeliveryIndex;
  /** `listen` (live, can replay) or `inspect` (a store on disk, read-only). */
  mode: 'listen' | 'inspect';
  /** Where replays are stored; null keeps them in memory only (listen --no-store). */
  append?: ((record: EventRecord) => Promise<void>) | null;
  storePath: string | null;
  /** The secrets deliveries are verified with (labels only ever leave this process). */
  secrets(): Promise<readonly SourcedSecret[]>;
  /** Every secret on file, for diagnose's "signed with another subscription's secret". */
  knownSecrets(): Promise<readonly SourcedSecret[]>;
  forwardTarget?(event: string | null): string | undefined;
  allowRemoteReplay?: boolean;
  toleranceSeconds?: number;
  replayTimeoutMs?: number;
  now?: () => number;
  /** Tests pin it; otherwise 32 random bytes per run. */
  token?: string;
}

export interface RunningInspector {
  /** The link to open: http://127.0.0.1:<port>/?token=… */
  url: string;
  origin: string;
  port: number;
  token: string;
  /** A new delivery (listen's, or one the tail read): indexed and pushed to every open page. */
  publish(record: EventRecord): void;
  close(): Promise<void>;
}

type Json = Record<string, unknown> | unknown[];

/** Where a delivery was received, when that was this machine (a stored Host header is sender-controlled). */
function receivedOn(record: EventRecord): string {
  const host = record.headers.host;
  if (typeof host === 'string' && /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$/i.test(host)) {
    return `http://${host}${record.path.startsWith('/') ? record.path : '/'}`;
  }
  return 'http://127.0.0.1:3000/';
}

export async function startInspector(options: InspectorOptions): Promise<RunningInspector> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const now = options.now ?? Date.now;
  const readOnly = options.mode === 'inspect';
  const streams = new Set<ServerResponse>();
  let port = options.port;

  function send(res: ServerResponse, status: number, body: string, type: string, extra: Record<string, string> = {}) {
    if (res.headersSent || res.destroyed) return;
    res.writeHead(status, {
      ...SECURITY_HEADERS,
      'content-type': type,
      'content-length': Buffer.byteLength(body),
      ...extra,
    });
    res.end(body);
  }
  const json = (res: ServerResponse, status: number, value: Json) =>
    send(res, status, JSON.stringify(value), 'application/json; charset=utf-8');
  const refuse = (res: ServerResponse, refusal: Refusal) =>
    json(res, refusal.status, { error: refusal.error, message: refusal.message });

  async function diagnoseSecrets() {
    const [verifying, known] = await Promise.all([options.secrets(), options.knownSecrets()]);
    return { verifying, known, toleranceSeconds: options.toleranceSeconds };
  }

  async function info() {
    const secrets = await options.secrets();
    return {
      mode: options.mode,
      readOnly,
      store: options.storePath,
      stored: options.index.size,
      events: options.index.eventNames(),
      secretLabels: secrets.flatMap((s) => (s.source ? [secretLabel(s.source)] : [])),
      forwardTarget: options.forwardTarget?.(null) ?? null,
      allowRemoteReplay: Boolean(options.allowRemoteReplay),
    };
  }

  async function detail(id: string) {
    const found = options.index.get(id);
    if (!found) return undefined;
    const previous = options.index.previousOfSameEvent(id);
    const view = deliveryDetail(found.record, await diagnoseSecrets(), previous);
    const target = options.forwardTarget?.(found.record.event) ?? receivedOn(found.record);
    return { ...view, seq: found.seq, commands: copyCommands(found.record, target), commandTarget: target };
  }

  function diff(id: string) {
    const found = options.index.get(id);
    if (!found) return undefined;
    const previous = options.index.previousOfSameEvent(id);
    if (!previous) return { previousId: null, lines: [] };
    const text = (r: EventRecord) =>
      prettyBody(r) ?? (r.bodyEncoding === 'utf8' ? r.body : `(binary, base64)\n${r.body}`);
    const lines = lineDiff(text(previous), text(found.record));
    return lines === undefined
      ? { previousId: previous.id, lines: null, message: 'the bodies are too large to diff here' }
      : { previousId: previous.id, lines };
  }

  async function doReplay(id: string, input: ReplayInput) {
    const found = options.index.get(id);
    if (!found) throw new ReplayRefused(404, 'not_found', `no stored delivery ${id}`);
    const record = await replay(found.record, input, {
      secrets: options.secrets,
      forwardTarget: (event) => options.forwardTarget?.(event),
      allowRemote: Boolean(options.allowRemoteReplay),
      now,
      toleranceSeconds: options.toleranceSeconds,
      timeoutMs: options.replayTimeoutMs ?? ANSWER_WINDOW_MS,
    });
    if (options.append) await options.append(record);
    publish(record);
    return record;
  }

  function publish(record: EventRecord) {
    const summary = options.index.add(record);
    if (!summary || streams.size === 0) return;
    const frame = `event: delivery\ndata: ${JSON.stringify(summary)}\n\n`;
    for (const res of streams) res.write(frame);
  }

  function openStream(req: IncomingMessage, res: ServerResponse) {
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      connection: 'keep-alive',
    });
    res.write(`retry: 1000\nevent: hello\ndata: ${JSON.stringify({ stored: options.index.size })}\n\n`);
    streams.add(res);
    const beat = setInterval(() => res.write(': keep-alive\n\n'), SSE_HEARTBEAT_MS);
    beat.unref();
    req.on('close', () => {
      clearInterval(beat);
      streams.delete(res);
    });
  }

  async function readJson(req: IncomingMessage): Promise<unknown> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) throw new ReplayRefused(413, 'too_large', 'the request body is over 2 MiB');
      chunks.push(chunk);
    }
    try {
      return JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      throw new ReplayRefused(400, 'invalid_request', 'the request body must be JSON');
    }
  }

  async function route(req: IncomingMessage, res: ServerResponse) {
    const rules = { port, token };
    const hostRefusal = checkHost(req.headers.host, rules);
    if (hostRefusal) return refuse(res, hostRefusal);
    const url = new URL(req.url ?? '/', `http://${HOST}:${port}`);
    const path = url.pathname;
    const method = req.method ?? 'GET';

    // Assets carry no data: they load without the token (the page itself does not).
    if (method === 'GET' && path === '/assets/inspector.css') return send(res, 200, STYLES, 'text/css; charset=utf-8');
    const asset = /^\/assets\/([a-z-]+\.js)$/.exec(path);
    if (method === 'GET' && asset) {
      const text = await readFile(new URL(asset[1], WEB_DIR), 'utf8').catch(() => undefined);
      return text === undefined
        ? json(res, 404, { error: 'not_found', message: `no asset ${asset[1]}` })
        : send(res, 200, text, 'text/javascript; charset=utf-8');
    }
    if (method === 'GET' && path === '/favicon.ico') return send(res, 204, '', 'text/plain');

    const header = req.headers['x-inspector-token'];
    const given = typeof header === 'string' && header !== '' ? header : undefined;
    const tokenRefusal = checkToken(given ?? url.searchParams.get('token'), rules);
    if (path === '/' && method === 'GET') {
      if (tokenRefusal)
        return send(res, tokenRefusal.status, refusedPageHtml(tokenRefusal.message), 'text/html; charset=utf-8');
      return send(res, 200, pageHtml(), 'text/html; charset=utf-8');
    }
    if (tokenRefusal) return refuse(res, tokenRefusal);

    if (method === 'POST') {
      const originRefusal = checkOrigin(req.headers.origin, req.headers.host);
      if (originRefusal) return refuse(res, originRefusal);
      // The token must come as a header: a query string is not proof the page itself asked.
      if (given === undefined)
        return refuse(res, { status: 401, error: 'missing_token', message: 'send the token in X-Inspector-Token' });
      const m = /^\/api\/deliveries\/([A-Za-z0-9_-]{1,100})\/replay$/.exec(path);
      if (!m) return json(res, 404, { error: 'not_found', message: `no ${method} ${path}` });
      if (readOnly) {
        return json(res, 409, {
          error: 'read_only',
          message: 'this inspector browses a store without receiving: run `pictify-hooks listen --ui` to replay',
        });
      }
      const input = (await readJson(req)) as Partial<ReplayInput> & Record<string, unknown>;
      const record = await doReplay(m[1], {
        mode: input.mode === 'as-is' ? 'as-is' : 'resigned',
        target: typeof input.target === 'string' ? input.target : undefined,
        body: input.body === undefined ? undefined : (input.body as string),
        secretLabel: typeof input.secretLabel === 'string' ? input.secretLabel : undefined,
      });
      const found = options.index.get(record.id);
      return json(res, 201, { delivery: summarize(record, found?.seq ?? -1) });
    }
    if (method !== 'GET')
      return json(res, 405, { error: 'method_not_allowed', message: `${method} is not served here` });

    if (path === '/api/info') return json(res, 200, await info());
    if (path === '/api/stream') return openStream(req, res);
    const filter = parseFilter(url.searchParams);
    const int = (name: string) => {
      const v = url.searchParams.get(name);
      return v !== null && /^\d{1,9}$/.test(v) ? Number(v) : undefined;
    };
    if (path === '/api/deliveries') {
      return json(res, 200, {
        ...options.index.list(filter, { offset: int('offset'), limit: int('limit'), until: int('until') }),
      });
    }
    if (path === '/api/histogram') return json(res, 200, { ...options.index.histogram(filter, int('until')) });
    const one = /^\/api\/deliveries\/([A-Za-z0-9_-]{1,100})(\/diff)?$/.exec(path);
    if (one) {
      const value = one[2] ? diff(one[1]) : await detail(one[1]);
      return value === undefined
        ? json(res, 404, { error: 'not_found', message: `no stored delivery ${one[1]}` })
        : json(res, 200, value);
    }
    return json(res, 404, { error: 'not_found', message: `no ${path}` });
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (error instanceof ReplayRefused) return json(res, error.status, { error: error.code, message: error.message });
      json(res, 500, { error: 'internal_error', message: (error as Error).message });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://${HOST}:${port}`;

  let closed: Promise<void> | undefined;
  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    token,
    publish,
    close() {
      closed ??= new Promise<void>((resolve) => {
        for (const res of streams) res.end();
        streams.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
