// The built CLI on a real pseudo-terminal (util-linux `script`): a terminal that reports 0×0 gets no spinner and
// no runaway erase loop, a sized one gets a spinner that SIGTERM still ends, and the cursor comes back.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { useConfigDir } from '../helpers/cli.js';
import { waitFor } from '../helpers/bin.js';
import { runOnPty, type PtyRun } from '../helpers/pty.js';

interface FakeApi {
  url: string;
  requests: string[];
  server: Server;
}

/** Three pages of subscriptions; `hangOnPage` never answers that page (a slow API, a spinner that keeps going). */
async function fakeApi(options: { pages?: number; hangOnPage?: number } = {}): Promise<FakeApi> {
  const pages = options.pages ?? 3;
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const url = new URL(req.url ?? '/', 'http://x');
    const page = Number(url.searchParams.get('page') ?? '1');
    if (page === options.hangOnPage) return;
    const subscriptions = [1, 2].map((i) => ({
      uid: `wh_p${page}_${i}`,
      event: 'render.completed',
      targetUrl: `http://127.0.0.1:9/p${page}/${i}`,
      platform: 'custom',
      status: 'active',
      createdAt: '2026-11-01T00:00:00Z',
    }));
    setTimeout(() => {
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          subscriptions,
          pagination: { page, limit: 2, total: pages * 2, totalPages: pages, hasNext: page < pages, hasPrev: page > 1 },
        }),
      );
    }, 150);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, server };
}

let api: FakeApi | undefined;
let pty: PtyRun | undefined;
const dir = useConfigDir({
  beforeRemove: async () => {
    pty?.kill();
    api?.server.closeAllConnections();
    await new Promise((r) => api?.server.close(r) ?? r(undefined));
  },
});

const env = () => ({ PICTIFY_HOOKS_CONFIG_DIR: dir, PICTIFY_BASE_URL: api!.url, PICTIFY_API_KEY: 'pk_test_pty' });

describe('list --all on a real terminal', () => {
  it('on a pty that reports 0×0: no spinner, no erase loop, the table, exit 0', async () => {
    api = await fakeApi();
    pty = runOnPty(['list', '--all'], { env: env(), cols: 0 });
    const r = await pty.done;
    expect(r.code, r.output).toBe(0);
    expect(r.output).toContain('wh_p3_2');
    expect(r.output).not.toContain('\x1b[1A');
    expect(r.output).not.toContain('Fetching subscriptions');
    expect(r.output.length).toBeLessThan(5_000);
    expect(api.requests).toHaveLength(3);
  });

  it('on an 80-column pty: a spinner while pages load, erased before the table', async () => {
    api = await fakeApi();
    pty = runOnPty(['list', '--all'], { env: env(), cols: 80 });
    const r = await pty.done;
    expect(r.code, r.output).toBe(0);
    expect(r.output).toContain('Fetching subscriptions');
    expect(r.output.indexOf('Fetching subscriptions')).toBeLessThan(r.output.indexOf('wh_p1_1'));
    expect(r.output.length).toBeLessThan(20_000);
  });

  it('SIGTERM ends it while the spinner runs, and the cursor is shown again', async () => {
    api = await fakeApi({ hangOnPage: 2 });
    pty = runOnPty(['list', '--all'], { env: env(), cols: 80 });
    await waitFor(() => pty!.output().includes('Fetching subscriptions') && api!.requests.length >= 2, 'the spinner');
    const pid = await waitFor(() => pty!.nodePid(), 'the CLI process');
    const sent = Date.now();
    process.kill(pid, 'SIGTERM');
    const r = await pty.done;
    expect(Date.now() - sent).toBeLessThan(3_000);
    expect(r.code).not.toBe(0);
    expect(r.output.lastIndexOf('\x1b[?25h')).toBeGreaterThan(r.output.lastIndexOf('\x1b[?25l'));
  });

  it('SIGTERM ends it on a 0×0 pty too', async () => {
    api = await fakeApi({ hangOnPage: 2 });
    pty = runOnPty(['list', '--all'], { env: env(), cols: 0 });
    await waitFor(() => api!.requests.length >= 2, 'page 2 to be asked for');
    const pid = await waitFor(() => pty!.nodePid(), 'the CLI process');
    process.kill(pid, 'SIGTERM');
    const r = await pty.done;
    expect(r.code).not.toBe(0);
    expect(r.ms).toBeLessThan(10_000);
  });
});
