// Shared by the tunnel tests: PATH with the fake cloudflared/ngrok first, a loopback origin that records what
// reaches it, and a temp dir.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FAKE_BIN = fileURLToPath(new URL('../../fixtures/bin', import.meta.url));
/** Only node's own folder: no cloudflared, no ngrok. */
export const PATH_WITHOUT_TUNNELS = dirname(process.execPath);

export function fakeEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: `${FAKE_BIN}${delimiter}${process.env.PATH ?? ''}`,
    FAKE_NGROK_WEB_ADDR: '127.0.0.1:0',
    FAKE_TUNNEL_READY_MS: '100',
    ...extra,
  };
}

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'pictify-hooks-tunnel-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface Origin {
  url: string;
  port: number;
  requests: Array<{ method?: string; url?: string; headers: IncomingHttpHeaders; body: string }>;
  close(): Promise<void>;
}

export async function startOrigin(): Promise<Origin> {
  const requests: Origin['requests'] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      requests.push({ method: req.method, url: req.url, headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () => new Promise((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

export function readState(file: string): { pid: number; publicUrl: string; origin: string; argv: string[] } {
  return JSON.parse(readFileSync(file, 'utf8'));
}
