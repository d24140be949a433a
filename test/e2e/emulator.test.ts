// The built CLI as a user runs it: `emulator` in one process, `trigger` / `deliveries` / `list` in others,
// a real receiver, and a restart that keeps subscriptions and pending retries.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useBinSandbox } from '../helpers/bin.js';
import { client, respondWith, startReceiver, waitFor } from '../unit/emulator/support.js';
import { referenceVerify, type ReferenceReceiver } from '../helpers/reference-receiver.js';

const KEY = 'pk_test_e2e_emulator';

const { dir, cli } = useBinSandbox();
let rx: ReferenceReceiver;
beforeEach(async () => {
  rx = await startReceiver();
});
afterEach(() => rx.close());

interface Emulator {
  url: string;
  stderr: () => string;
  stop(): Promise<number | null>;
}

async function startEmulatorCli(args: string[]): Promise<Emulator> {
  const running = cli.spawn(['emulator', '--port', '0', ...args], { timeoutMs: 60_000 });
  const url = await waitFor(
    () => /listening on (http:\/\/127\.0\.0\.1:\d+) — export PICTIFY_BASE_URL=\1\n/.exec(running.stderr())?.[1],
    'the ready line',
  );
  return {
    url,
    stderr: running.stderr,
    async stop() {
      running.child.kill('SIGTERM');
      return (await running.done).code;
    },
  };
}

const run = (args: string[], env: Record<string, string>) => cli.run(args, { env });

describe('emulator e2e', () => {
  it('serves the API, delivers triggered events signed, logs them, and stops on SIGTERM', async () => {
    const emu = await startEmulatorCli([]);
    const env = { PICTIFY_BASE_URL: emu.url, PICTIFY_API_KEY: KEY };
    const api = client(emu.url, KEY);
    const sub = await api.createSubscription({
      event: 'render.completed',
      targetUrl: rx.url,
      filters: { type: 'gif' },
    });

    const listed = await run(['--json', 'list'], env);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(sub.uid);
    expect(listed.stdout).not.toContain(sub.secret!);

    const miss = await run(['trigger', 'render.completed'], env);
    expect(miss.code).toBe(1);
    expect(miss.stderr).toContain('no active subscription to render.completed matched');
    expect(rx.received).toHaveLength(0);

    const hit = await run(['--json', 'trigger', 'render.completed', '--set', 'data.type=gif'], env);
    expect(hit.code).toBe(0);
    const answer = JSON.parse(hit.stdout);
    expect(answer.deliveries).toMatchObject([{ subscription: sub.uid, status: 'delivered', statusCode: 200 }]);
    expect(rx.received).toHaveLength(1);
    const got = rx.received[0];
    expect(referenceVerify(got.body, got.headers['x-pictify-signature'], sub.secret!)).toBe(true);
    expect(got.headers['x-pictify-delivery-id']).toBe(answer.deliveries[0].deliveryId);
    expect(JSON.parse(got.body.toString()).data).toMatchObject({
      type: 'gif',
      deliveryId: answer.deliveries[0].deliveryId,
    });

    const log = await run(['deliveries', '--subscription', sub.uid], env);
    expect(log.code).toBe(0);
    expect(log.stdout).toMatch(
      new RegExp(
        `render\\.completed\\s+${sub.uid.slice(0, 8)}\\S*\\s+${answer.deliveries[0].deliveryId.slice(0, 6)}\\S*\\s+1\\s+delivered 200`,
      ),
    );

    await api.close();
    expect(await emu.stop()).toBe(0);
    expect(emu.stderr()).toMatch(/POST \/webhook-subscriptions 201 \d+ms/);
    expect(emu.stderr()).toMatch(/POST \/_emulator\/events 202 \d+ms/);
    expect(emu.stderr()).not.toContain(sub.secret!);
    expect(emu.stderr()).not.toContain(KEY);
  });

  it('retries on the scaled schedule and pauses the subscription after the last failure', async () => {
    rx.answer = respondWith(() => 500);
    const emu = await startEmulatorCli(['--retry-scale', '0.00001']);
    const api = client(emu.url, KEY);
    const sub = await api.createSubscription({ event: 'binding.failed', targetUrl: rx.url });
    const t = await run(['trigger', 'binding.failed'], { PICTIFY_BASE_URL: emu.url, PICTIFY_API_KEY: KEY });
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/^✗ .* 500 \d+ms retrying retry at /);
    const paused = await waitFor(async () => {
      const s = await api.getSubscription(sub.uid);
      return s.status === 'paused' && s;
    }, 'the subscription to be paused');
    expect(rx.received).toHaveLength(6);
    expect(paused).toMatchObject({ failureCount: 6, lastDelivery: { status: 'failed', attempt: 6 } });
    expect(emu.stderr()).toContain(`subscription ${sub.uid} paused after 6 failed attempts`);
    await api.close();
    expect(await emu.stop()).toBe(0);
  });

  it('a restart with --data-dir keeps subscriptions and delivers the pending retry', async () => {
    rx.answer = respondWith(() => 503);
    const data = join(dir, 'state');
    // The first retry is due 60 s × 0.1 = 6 s after the 503: time enough to stop the emulator before it, even on a
    // loaded machine (at 0.02 its 1.2 s went by before the stop), and it is still due soon after the restart.
    const first = await startEmulatorCli(['--data-dir', data, '--retry-scale', '0.1']);
    const api = client(first.url, KEY);
    const sub = await api.createSubscription({ event: 'render.failed', targetUrl: rx.url });
    await api.close();
    const t = await run(['--json', 'trigger', 'render.failed'], { PICTIFY_BASE_URL: first.url, PICTIFY_API_KEY: KEY });
    const started = JSON.parse(t.stdout).deliveries[0];
    expect(started.status).toBe('retrying');
    expect(await first.stop()).toBe(0);
    expect(rx.received).toHaveLength(1);

    rx.answer = respondWith(() => 200);
    const second = await startEmulatorCli(['--data-dir', data, '--retry-scale', '0.1']);
    const api2 = client(second.url, KEY);
    expect((await api2.getSubscription(sub.uid)).targetUrl).toBe(rx.url);
    await waitFor(() => rx.received.length === 2, 'the retry after the restart');
    expect(rx.received[1].headers['x-pictify-delivery-id']).toBe(started.deliveryId);
    expect(referenceVerify(rx.received[1].body, rx.received[1].headers['x-pictify-signature'], sub.secret!)).toBe(true);
    const s = await waitFor(async () => {
      const got = await api2.getSubscription(sub.uid);
      return got.lastDelivery?.status === 'delivered' && got;
    }, 'the delivered status');
    expect(s).toMatchObject({ status: 'active', deliveryCount: 2, failureCount: 1 });
    await api2.close();
    expect(await second.stop()).toBe(0);
  });
});
