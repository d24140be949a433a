// `deliveries`: the emulator's delivery log, against an in-process emulator and a real receiver.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { run, useConfigDir } from '../helpers/cli.js';
import { useEmulatorBench } from '../helpers/emulator.js';
import { call, respondWith, waitFor } from '../unit/emulator/support.js';

const dir = useConfigDir();
const bench = useEmulatorBench();

describe('deliveries', () => {
  it('shows the log as a table, filtered by subscription', async () => {
    const a = await bench.subscribe('render.completed');
    const b = await bench.subscribe('render.failed');
    bench.rx.answer = respondWith((n) => (n === 1 ? 502 : 200));
    await run(dir, ['trigger', 'render.completed'], { env: bench.env });
    await waitFor(
      async () => (await call(bench.emu.url, 'GET', '/_emulator/deliveries')).json.total === 2,
      'the retry',
    );
    await run(dir, ['trigger', 'render.failed'], { env: bench.env });

    const r = await run(dir, ['deliveries'], { env: bench.env });
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^TIME\s+EVENT\s+SUBSCRIPTION\s+DELIVERY\s+#\s+STATUS\s+LATENCY\s+RETRY\s+RESPONSE$/);
    expect(lines).toHaveLength(4);
    // Rows fit 100 columns: the ids and the answer are cut with an ellipsis, full in --json.
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(100);
    const cut = (id: string) => `${id.slice(0, 6)}\\S*`;
    expect(lines[1]).toMatch(
      new RegExp(
        `^\\d\\d:\\d\\d:\\d\\d\\s+render\\.completed\\s+${cut(a.uid)}\\s+del_\\S+\\s+1\\s+retrying 502\\s+\\d+ms\\s+\\d\\d:\\d\\d:\\d\\d\\s+rec\\S*`,
      ),
    );
    expect(lines[2]).toMatch(new RegExp(`${cut(a.uid)}\\s+del_\\S+\\s+2\\s+delivered 200\\s+\\d+ms\\s+-\\s+ok$`));
    expect(lines[3]).toContain(b.uid.slice(0, 6));

    const all = JSON.parse((await run(dir, ['deliveries', '--json'], { env: bench.env })).stdout);
    expect(all).toHaveLength(3);
    expect(all[0]).toMatchObject({ subscription: a.uid, responseBody: expect.stringContaining('receiver said no') });
    expect(all[0].nextRetryAt).toMatch(/^\d{4}-/);

    const only = await run(dir, ['deliveries', '--subscription', b.uid, '--json'], { env: bench.env });
    expect(only.code).toBe(0);
    const json = JSON.parse(only.stdout);
    expect(json).toHaveLength(1);
    expect(json[0]).toMatchObject({
      subscription: b.uid,
      event: 'render.failed',
      attempt: 1,
      status: 'delivered',
      statusCode: 200,
    });
  });

  it('a receiver that cannot be reached: the error goes in the response column, and rows still fit 100 columns', async () => {
    const closed = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const body = { event: 'render.completed', targetUrl: `http://127.0.0.1:${closed}/webhooks/pictify` };
    await call(bench.emu.url, 'POST', '/webhook-subscriptions', { body });
    await run(dir, ['trigger', 'render.completed'], { env: bench.env });
    const r = await run(dir, ['deliveries'], { env: bench.env });
    const lines = r.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(100);
    expect(lines[1]).toMatch(/\s(retrying|failed)\s+\d+ms\s+\S+\s+\S*(connect|refused|ECONNREFUSED)/i);
    const [first] = JSON.parse((await run(dir, ['deliveries', '--json'], { env: bench.env })).stdout);
    expect(first.error).toBeTruthy();
  });

  it('says when the log is empty; rejects a bad --limit', async () => {
    const r = await run(dir, ['deliveries'], { env: bench.env });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('no deliveries yet');
    expect((await run(dir, ['deliveries', '--limit', '0'], { env: bench.env })).code).toBe(2);
  });
});
