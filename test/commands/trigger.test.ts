// `trigger` against an in-process emulator and a real receiver.
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import { run, useConfigDir } from '../helpers/cli.js';
import { useEmulatorBench } from '../helpers/emulator.js';
import { referenceVerify } from '../helpers/reference-receiver.js';
import { respondWith } from '../unit/emulator/support.js';

const dir = useConfigDir();
const bench = useEmulatorBench();

describe('trigger', () => {
  it('delivers a signed event and prints one line per delivery', async () => {
    const sub = await bench.subscribe('render.completed', { templateId: 'tmpl_7' });
    const r = await run(dir, ['trigger', 'render.completed', '--set', 'data.templateId=tmpl_7'], { env: bench.env });
    expect(r.code).toBe(0);
    expect(bench.rx.received).toHaveLength(1);
    const got = bench.rx.received[0];
    expect(referenceVerify(got.body, got.headers['x-pictify-signature'], sub.secret)).toBe(true);
    const id = got.headers['x-pictify-delivery-id'] as string;
    expect(r.stdout.trim()).toMatch(new RegExp(`^✓ ${id} ${sub.uid} → ${bench.rx.url} 200 \\d+ms$`));
    expect(r.stderr).toContain('1 delivery started');
    expect(r.stdout + r.stderr).not.toContain(sub.secret);
  });

  it('--json prints the emulator answer; --data merges a file', async () => {
    await bench.subscribe('batch.completed');
    const file = join(dir, 'data.json');
    writeFileSync(file, JSON.stringify({ batchId: 'batch_from_file', failedCount: 3 }));
    const r = await run(
      dir,
      ['--json', 'trigger', 'batch.completed', '--data', `@${file}`, '--set', 'data.totalCount=9'],
      { env: bench.env },
    );
    expect(r.code).toBe(0);
    const answer = JSON.parse(r.stdout);
    expect(answer).toMatchObject({
      event: 'batch.completed',
      matched: 1,
      deliveries: [{ status: 'delivered', statusCode: 200, attempt: 1 }],
    });
    expect(JSON.parse(bench.rx.received[0].body.toString()).data).toMatchObject({
      batchId: 'batch_from_file',
      failedCount: 3,
      totalCount: 9,
    });
  });

  it('shows a failed first attempt and its retry', async () => {
    bench.rx.answer = respondWith(() => 500);
    await bench.subscribe('render.failed');
    const r = await run(dir, ['trigger', 'render.failed'], { env: bench.env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^✗ del_\S+ wh_\S+ → \S+ 500 \d+ms retrying retry at \d{4}-/);
  });

  it('--no-wait answers at once with one status per delivery ("pending", not "pending pending")', async () => {
    bench.rx.answer = respondWith(() => 0); // never answers: the attempt is still in flight when trigger prints
    await bench.subscribe('render.completed');
    const r = await run(dir, ['trigger', 'render.completed', '--no-wait'], { env: bench.env });
    expect(r.code).toBe(0);
    const line = r.stdout.trim();
    expect(line).toMatch(/^… del_\w+ wh_\w+ → \S+ pending$/);
    expect(line.match(/pending/g)).toHaveLength(1);
  });

  it('nothing matched: exit 1 with a one-line reason (the answer still on stdout with --json)', async () => {
    await bench.subscribe('render.completed', { type: 'pdf' });
    const r = await run(dir, ['trigger', 'render.completed'], { env: bench.env });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^error: no active subscription to render\.completed matched; nothing was delivered — see/),
    ]);
    const json = await run(dir, ['--json', 'trigger', 'render.completed'], { env: bench.env });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ matched: 0, deliveries: [] });
    expect(bench.rx.received).toHaveLength(0);
  });

  it.each([
    [['trigger', 'render.nope'], /unknown event "render.nope"/],
    [['trigger', 'render.completed', '--set', 'novalue'], /--set expects path=value/],
    [['trigger', 'render.completed', '--data', '[1,2]'], /--data: expected a JSON object/],
    [['trigger', 'render.completed', '--data', '{oops'], /--data: not valid JSON/],
    [['trigger'], /missing required argument/],
  ])('%j → exit 2', async (args, message) => {
    const r = await run(dir, args, { env: bench.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('needs an emulator address, and says how to start one', async () => {
    const r = await run(dir, ['trigger', 'render.completed'], { env: { PICTIFY_API_KEY: 'k' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/trigger talks to the local emulator.*pictify-hooks emulator/);
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const down = await run(dir, ['trigger', 'render.completed'], {
      env: { PICTIFY_BASE_URL: `http://127.0.0.1:${port}` },
    });
    expect(down.code).toBe(1);
    expect(down.stderr).toContain(
      `cannot reach the emulator at http://127.0.0.1:${port}: connection refused (is it running, on that port?) — start it with`,
    );
    expect(down.stderr).not.toContain('TypeError');
  });

  it('a server that is not the emulator → exit 1', async () => {
    bench.rx.answer = respondWith(() => 404);
    const r = await run(dir, ['trigger', 'render.completed'], { env: { PICTIFY_BASE_URL: bench.rx.url } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('it is not a pictify-hooks emulator');
  });

  it('a wrong key for a pinned emulator → exit 4', async () => {
    const pinned = await startEmulator({ apiKey: 'pk_right' });
    try {
      const r = await run(dir, ['trigger', 'render.completed'], {
        env: { PICTIFY_BASE_URL: pinned.url, PICTIFY_API_KEY: 'pk_wrong' },
      });
      expect(r.code).toBe(4);
      expect(r.stderr).toMatch(/401/);
      expect(r.stderr).not.toContain('pk_right');
      const ok = await run(dir, ['--api-key', 'pk_right', 'trigger', 'render.completed'], {
        env: { PICTIFY_BASE_URL: pinned.url },
      });
      // Past the key check: the emulator answered (it has no subscription, so nothing was delivered: exit 1).
      expect(ok.stderr).toContain('no active subscription');
      expect(ok.code).toBe(1);
    } finally {
      await pinned.close();
    }
  });
});
