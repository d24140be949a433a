import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { postDelivery } from '../../src/outbound/post.js';
import { FIXED_NOW, run, tempConfigDir, type RunOptions } from '../helpers/cli.js';
import { SECRET, signedSample, waitForFile } from '../unit/receiver/deliver.js';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempConfigDir()));
afterEach(() => cleanup());

/** Starts `listen` in-process and returns its url once the ready file is there. */
async function listen(args: string[], options: RunOptions = {}) {
  const readyFile = join(dir, `ready-${Math.random().toString(36).slice(2)}`);
  const result = run(dir, ['listen', '--port', '0', '--ready-file', readyFile, ...args], options);
  const url = await Promise.race([
    waitForFile(readyFile),
    result.then((r) => Promise.reject(new Error(`listen exited ${r.code}: ${r.stderr}`))),
  ]);
  return { url, result, readyFile };
}

function stored(file = join(dir, 'events.jsonl')) {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
}

describe('listen', () => {
  it('--exit-after n exits 0 after n verified deliveries, one plain line each when stdout is not a TTY', async () => {
    const { url, result, readyFile } = await listen(['--secret', SECRET, '--exit-after', '2', '--timeout', '20s']);
    const bad = await postDelivery(
      url,
      signedSample('render.completed', { nowMs: FIXED_NOW, secret: 'whsec_wrong', deliveryId: 'del_bad' }),
    );
    expect(bad.status).toBe(401);
    await postDelivery(url, signedSample('render.completed', { nowMs: FIXED_NOW, deliveryId: 'del_one' }));
    await postDelivery(url, signedSample('render.failed', { nowMs: FIXED_NOW, deliveryId: 'del_two' }));
    const { code, stdout, stderr } = await result;
    expect(code).toBe(0);
    expect(stderr).toMatch(/^Ready: listening on http:\/\/127\.0\.0\.1:\d+ — secrets: 1 \(flag\)\n/);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/✗ signature_mismatch\s+render\.completed\s+del_bad\s+401/);
    expect(lines[1]).toMatch(
      /✓\s+render\.completed\s+del_one\s+200\s+url=https:\/\/cdn\.pictify\.io\/\S+ size=1200x630/,
    );
    expect(lines[2]).toMatch(
      /✓\s+render\.failed\s+del_two\s+200\s+error=Template not found errorCode=TEMPLATE_NOT_FOUND/,
    );
    expect(stdout).not.toMatch(/\x1b\[/);
    expect(stderr).toMatch(/Stopped: 3 deliveries \(2 verified, 1 rejected, 0 duplicate\)/);
    expect(stored().map((r) => r.deliveryId)).toEqual(['del_bad', 'del_one', 'del_two']);
    expect(existsSync(readyFile)).toBe(false);
  });

  it('--json prints NDJSON, one object per delivery and nothing else on stdout', async () => {
    const { url, result } = await listen(['--secret', SECRET, '--exit-after', '1', '--json']);
    await postDelivery(url, signedSample('batch.completed', { nowMs: FIXED_NOW, deliveryId: 'del_json' }));
    const { code, stdout } = await result;
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]);
    expect(line).toMatchObject({
      event: 'batch.completed',
      deliveryId: 'del_json',
      status: 200,
      verdict: { ok: true, matchedLabel: 'flag' },
    });
    expect(line.id).toMatch(/^evt_/);
    expect(line.payload.data.batchId).toBe('batch_abc123');
  });

  it('colours the line on a TTY', async () => {
    const { url, result } = await listen(['--secret', SECRET, '--exit-after', '1'], { stdoutIsTTY: true });
    await postDelivery(url, signedSample('binding.updated', { nowMs: FIXED_NOW }));
    const { stdout } = await result;
    expect(stdout).toMatch(/\x1b\[32m✓/);
    expect(stdout).toMatch(/binding=\S+ change=/);
  });

  it('--wait-for exits 0 when that event arrives', async () => {
    const { url, result } = await listen(['--secret', SECRET, '--wait-for', 'render.failed', '--timeout', '20s']);
    await postDelivery(url, signedSample('render.completed', { nowMs: FIXED_NOW }));
    await postDelivery(url, signedSample('render.failed', { nowMs: FIXED_NOW }));
    const { code } = await result;
    expect(code).toBe(0);
    expect(stored().map((r) => r.event)).toEqual(['render.completed', 'render.failed']);
  });

  it('--timeout exits 1 when the condition has not happened in time', async () => {
    const { url, result } = await listen(['--secret', SECRET, '--exit-after', '3', '--timeout', '400ms']);
    await postDelivery(url, signedSample('render.completed', { nowMs: FIXED_NOW }));
    const { code, stderr } = await result;
    expect(code).toBe(1);
    expect(stderr).toMatch(/error: timed out after 400ms: 1 of 3 verified deliveries arrived/);
  });

  it('verifies with every stored secret when no --secret is given, and names the subscription that matched', async () => {
    expect((await run(dir, ['secrets', 'set', 'wh_a', 'whsec_aaa'])).code).toBe(0);
    expect((await run(dir, ['secrets', 'set', 'wh_b', 'whsec_bbb'])).code).toBe(0);
    const { url, result } = await listen(['--exit-after', '1', '--no-store']);
    await postDelivery(url, signedSample('render.completed', { nowMs: FIXED_NOW, secret: 'whsec_bbb' }));
    const { code, stdout, stderr } = await result;
    expect(code).toBe(0);
    expect(stderr).toMatch(/secrets: 2 \(wh_a, wh_b\)/);
    expect(stdout).toMatch(/secret=wh_b/);
    expect(stdout + stderr).not.toContain('whsec_bbb');
    expect(existsSync(join(dir, 'events.jsonl'))).toBe(false);
  });

  it('uses PICTIFY_WEBHOOK_SECRET and --store <file>', async () => {
    const file = join(dir, 'custom', 'store.jsonl');
    const { url, result } = await listen(['--exit-after', '1', '--store', file], {
      env: { PICTIFY_WEBHOOK_SECRET: SECRET },
    });
    await postDelivery(url, signedSample('render.completed', { nowMs: FIXED_NOW }));
    expect((await result).code).toBe(0);
    expect(stored(file)[0].verdict.matchedLabel).toBe('PICTIFY_WEBHOOK_SECRET');
  });

  it('only accepts --path when set', async () => {
    const { url, result } = await listen(['--secret', SECRET, '--path', '/webhooks/pictify', '--exit-after', '1']);
    expect(url).toMatch(/\/webhooks\/pictify$/);
    expect(
      (
        await postDelivery(
          url.replace('/webhooks/pictify', '/'),
          signedSample('render.completed', { nowMs: FIXED_NOW }),
        )
      ).status,
    ).toBe(404);
    expect((await postDelivery(url, signedSample('render.completed', { nowMs: FIXED_NOW }))).status).toBe(200);
    expect((await result).code).toBe(0);
  });

  it('with no secret anywhere it says so, rejects, and picks up a secret stored while listening', async () => {
    let clock = FIXED_NOW;
    const { url, result } = await listen(['--exit-after', '1', '--timeout', '20s'], { now: () => clock });
    const first = await postDelivery(
      url,
      signedSample('render.completed', { nowMs: FIXED_NOW, deliveryId: 'del_early' }),
    );
    expect(first.status).toBe(401);
    expect((await run(dir, ['secrets', 'set', 'wh_live', SECRET])).code).toBe(0);
    // Secrets are re-read at most once a second (of the injected clock), so a flood of bad deliveries cannot
    // hammer the config file.
    const tooSoon = await postDelivery(
      url,
      signedSample('render.completed', { nowMs: FIXED_NOW, deliveryId: 'del_soon' }),
    );
    expect(tooSoon.status).toBe(401);
    clock += 1100;
    const second = await postDelivery(
      url,
      signedSample('render.completed', { nowMs: FIXED_NOW, deliveryId: 'del_late' }),
    );
    expect(second.status).toBe(200);
    const { code, stdout, stderr } = await result;
    expect(code).toBe(0);
    expect(stderr).toMatch(/secrets: 0/);
    expect(stderr).toMatch(/no secrets yet: .*picked up while listening/);
    expect(stdout).toMatch(/✓\s+render\.completed\s+del_late\s+200 .*secret=wh_live/);
  });

  it('a delivery the store could not keep is answered 500 and does not count towards --exit-after; nor does a duplicate', async () => {
    const { url, result } = await listen([
      '--secret',
      SECRET,
      '--store',
      '/dev/full',
      '--exit-after',
      '1',
      '--timeout',
      '1500ms',
    ]);
    const first = await postDelivery(
      url,
      signedSample('render.completed', { nowMs: FIXED_NOW, deliveryId: 'del_full' }),
    );
    expect(first.status).toBe(500);
    expect(first.body).toMatch(/store_failed/);
    // The sender's retry is not mistaken for a duplicate of something that was never acknowledged.
    const retry = await postDelivery(
      url,
      signedSample('render.completed', { nowMs: FIXED_NOW, deliveryId: 'del_full' }),
    );
    expect(retry.status).toBe(500);
    const { code, stdout, stderr } = await result;
    expect(code).toBe(1);
    expect(stdout).toMatch(/✗ store_failed/);
    expect(stderr).toMatch(/2 NOT stored and answered 500/);
  });

  it('after a restart, a retry of a delivery acknowledged before is still recognised as a duplicate', async () => {
    const first = await listen(['--secret', SECRET, '--exit-after', '1', '--timeout', '10s']);
    expect(
      (await postDelivery(first.url, signedSample('render.completed', { nowMs: FIXED_NOW, deliveryId: 'del_before' })))
        .status,
    ).toBe(200);
    expect((await first.result).code).toBe(0);
    const second = await listen(['--secret', SECRET, '--exit-after', '1', '--timeout', '10s']);
    expect(
      (await postDelivery(second.url, signedSample('render.completed', { nowMs: FIXED_NOW, deliveryId: 'del_before' })))
        .status,
    ).toBe(200);
    expect(
      (await postDelivery(second.url, signedSample('render.failed', { nowMs: FIXED_NOW, deliveryId: 'del_after' })))
        .status,
    ).toBe(200);
    const { code, stdout } = await second.result;
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/✓ duplicate\s+render\.completed\s+del_before/);
    expect(lines[1]).toMatch(/✓\s+render\.failed\s+del_after/);
  });

  it('duplicates do not count towards --exit-after', async () => {
    const { url, result } = await listen([
      '--secret',
      SECRET,
      '--no-store',
      '--exit-after',
      '2',
      '--timeout',
      '1500ms',
    ]);
    for (let i = 0; i < 2; i++)
      expect(
        (await postDelivery(url, signedSample('render.completed', { nowMs: FIXED_NOW, deliveryId: 'del_same' })))
          .status,
      ).toBe(200);
    const { code, stdout } = await result;
    expect(code).toBe(1);
    expect(stdout).toMatch(/✓ duplicate/);
  });

  it('usage errors exit 2 with a one-line message', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--secret', SECRET, '--timeout', '5s'], /--timeout needs --exit-after or --wait-for/],
      [['--secret', SECRET, '--route', 'render.*'], /--route: invalid route/],
      [['--secret', SECRET, '--path', 'hooks'], /--path must start with "\/"/],
      [['--secret', SECRET, '--max-body', 'lots'], /--max-body: invalid size/],
      [['--secret', SECRET, '--wait-for', 'render.done'], /unknown event "render\.done"/],
      [['--secret', SECRET, '--port', '70000'], /--port: must be between 0 and 65535/],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = await run(dir, ['listen', '--port', '0', ...args]);
      expect({ args, code }).toEqual({ args, code: 2 });
      expect(stderr).toMatch(message);
    }
  });

  it('a port in use is a clear failure (exit 1)', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = String((blocker.address() as { port: number }).port);
    try {
      const { code, stderr } = await run(dir, ['listen', '--port', port, '--secret', SECRET]);
      expect(code).toBe(1);
      expect(stderr).toMatch(new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`));
    } finally {
      blocker.close();
    }
  });
});
