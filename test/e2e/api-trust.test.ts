// The built CLI against real loopback "APIs" that misbehave: a redirect to another origin, a create that fails
// after it may have succeeded, and an API that never answers (--api-timeout).
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useBinSandbox } from '../helpers/bin.js';

const KEY = 'pk_test_e2e_0123456789';
const { dir, cli, servers } = useBinSandbox({ PICTIFY_API_KEY: KEY });

interface Seen {
  method?: string;
  url?: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A loopback server; `handler` returning undefined leaves the request hanging forever. */
async function serve(handler: (req: IncomingMessage) => [number, Record<string, string>, string] | undefined) {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    // Recorded on arrival: a request the client gives up on may never send its end.
    const entry: Seen = { method: req.method, url: req.url, headers: req.headers, body: '' };
    seen.push(entry);
    req.on('data', (c: Buffer) => (entry.body += c));
    req.on('end', () => {
      const answer = handler(req);
      if (answer) res.writeHead(answer[0], answer[1]).end(answer[2]);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const secretsStored = () => {
  const file = join(dir, 'config.json');
  if (!existsSync(file)) return {};
  return JSON.parse(readFileSync(file, 'utf8')).profiles?.default?.secrets ?? {};
};

const CREATE = ['create', '--event', 'render.completed', '--url', 'https://example.com/hooks'];

describe('create against an API that redirects to another origin', () => {
  it.each([302, 307])('%i: exit 1 naming the location; nothing sent there, no secret saved', async (status) => {
    const other = await serve(() => [
      201,
      { 'content-type': 'application/json' },
      JSON.stringify({ subscription: { uid: 'wh_evil', event: 'render.completed', secret: 'whsec_from_evil' } }),
    ]);
    const api = await serve(() => [status, { location: `${other.url}/webhook-subscriptions` }, '']);
    const r = await cli.run(['--base-url', api.url, ...CREATE]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`redirected POST to another origin: ${other.url}/webhook-subscriptions`);
    expect(r.stderr).toContain('--base-url');
    expect(r.stdout).toBe('');
    expect(r.stdout + r.stderr).not.toContain('whsec_from_evil');
    expect(other.seen).toEqual([]);
    expect(api.seen).toHaveLength(1);
    expect(secretsStored()).toEqual({});
  });
});

describe('the emulator control client (trigger) does not follow redirects either', () => {
  it('a 307 elsewhere: exit 1 naming it, the other server never sees the key', async () => {
    const other = await serve(() => [200, { 'content-type': 'application/json' }, '{"deliveries":[]}']);
    const api = await serve(() => [307, { location: `${other.url}/steal` }, '']);
    const r = await cli.run(['--base-url', api.url, 'trigger', 'render.completed']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`redirect to ${other.url}/steal (not followed)`);
    expect(api.seen[0].headers.authorization).toBe(`Bearer ${KEY}`);
    expect(other.seen).toEqual([]);
  });
});

describe('ambiguous create failures', () => {
  it('a 500: exit 1, and the error says the subscription may exist and how to list it', async () => {
    const api = await serve(() => [500, { 'content-type': 'application/json' }, '{"message":"database timeout"}']);
    const r = await cli.run(['--base-url', api.url, ...CREATE]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('API error 500 Internal Server Error: database timeout');
    expect(r.stderr).toContain('may have been created');
    expect(r.stderr).toContain('`pictify-hooks list --event render.completed --url https://example.com/hooks`');
  });

  it('a 201 whose body is cut off: exit 1, may exist', async () => {
    const api = await serve(() => [201, { 'content-type': 'application/json' }, '{"subscription":{"uid":"wh_1","se']);
    const r = await cli.run(['--base-url', api.url, ...CREATE]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('may have been created');
    expect(secretsStored()).toEqual({});
  });
});

describe('--api-timeout: a hung API fails in bounded time', () => {
  it('list against a server that never answers: a named timeout after every attempt, exit 1', async () => {
    const api = await serve(() => undefined);
    const started = Date.now();
    const r = await cli.run(['--base-url', api.url, '--api-timeout', '300ms', '--max-retry-wait', '50ms', 'list']);
    const elapsed = Date.now() - started;
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`request to ${api.url} timed out after 300 ms; gave up after 4 attempts`);
    expect(r.stderr).toContain('--api-timeout');
    // Each attempt reached the server (the last one may still be in flight on a loaded machine when we stop).
    expect(api.seen.length).toBeGreaterThanOrEqual(3);
    // 4 × 300 ms plus three waits of at most 50 ms, plus start-up: far below the 30 s default.
    expect(elapsed).toBeLessThan(10_000);
  });

  it('a bare number is seconds, and PICTIFY_API_TIMEOUT works too', async () => {
    const api = await serve(() => undefined);
    const r = await cli.run(['--base-url', api.url, '--max-retry-wait', '0', 'get', 'wh_1'], {
      env: { PICTIFY_API_TIMEOUT: '1' },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('timed out after 1 s');
  });

  it('a create that times out is retried with one Idempotency-Key and ends "may have been created"', async () => {
    const api = await serve(() => undefined);
    const r = await cli.run(['--base-url', api.url, '--api-timeout', '0.3', '--max-retry-wait', '0', ...CREATE]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('timed out after 300 ms');
    expect(r.stderr).toContain('may have been created');
    expect(new Set(api.seen.map((s) => s.headers['idempotency-key'])).size).toBe(1);
    expect(api.seen.length).toBeGreaterThanOrEqual(3);
  });

  it('an invalid value is a usage error before any request', async () => {
    const api = await serve(() => undefined);
    const r = await cli.run(['--base-url', api.url, '--api-timeout', 'soon', 'list']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--api-timeout: invalid duration "soon"');
    expect(api.seen).toEqual([]);
  });
});
