// The session against the in-process emulator, the real receiver and the fake cloudflared: the subscriptions it
// makes point at the tunnel, their secrets are saved as temporary first, and close() leaves nothing behind.
import { hostname } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClient } from '../../../src/api/index.js';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/index.js';
import { startReceiver, type RunningReceiver } from '../../../src/receiver/server.js';
import { TunnelError } from '../../../src/receiver/tunnel/errors.js';
import { SelfTest } from '../../../src/receiver/tunnel/self-test.js';
import { SubscribeSession, type TunnelChoice } from '../../../src/receiver/tunnel/session.js';
import type { EventName } from '../../../src/events/names.js';
import { openConfig, type ConfigStore } from '../../../src/store/config.js';
import { fakeEnv, startOrigin, tempDir, type Origin } from './support.js';
import { SELF_TEST_SOURCE, subscriptionSource } from '../../../src/signing/secret-source.js';
import { nodeProcess } from '../../../src/cli/node-context.js';

let dir: string;
let cleanup: () => void;
let emulator: RunningEmulator;
let api: ApiClient;
let config: ConfigStore;
let receiver: RunningReceiver;
let app: Origin;
let selfTest: SelfTest;
const arrived: string[] = [];

beforeEach(async () => {
  ({ dir, cleanup } = tempDir());
  emulator = await startEmulator({ port: 0 });
  api = createApiClient({ baseUrl: emulator.url, apiKey: 'pk_test_session', userAgent: 'pictify-hooks-test' });
  config = await openConfig({ cwd: dir });
  app = await startOrigin();
  selfTest = new SelfTest();
  arrived.length = 0;
  receiver = await startReceiver({
    port: 0,
    secrets: [{ secret: selfTest.secret, source: SELF_TEST_SOURCE }],
    forwardTo: `${app.url}/app`,
    onDelivery: (record) => {
      if (!selfTest.accept(record)) arrived.push(record.event ?? '');
    },
  });
});
afterEach(async () => {
  await receiver.close();
  await api.close();
  await emulator.close();
  await app.close();
  cleanup();
});

function session(tunnel: TunnelChoice, events: EventName[] = ['render.completed'], extra = {}) {
  return new SubscribeSession({
    events: [...events],
    path: '/webhooks/pictify',
    tunnel,
    tunnelTimeoutMs: 10_000,
    port: receiver.port,
    logDir: dir,
    env: fakeEnv(),
    proc: nodeProcess,
    api,
    book: config,
    profile: 'default',
    owner: { pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString() },
    selfTest,
    now: () => Date.now(),
    ...extra,
  });
}

describe('SubscribeSession', () => {
  it('cloudflared: self-test through it (not forwarded), subscriptions at its URL, gone on close', async () => {
    const s = session({ kind: 'cloudflared' }, ['render.completed', 'batch.completed']);
    await s.start();
    expect(s.selfTestResult?.ok).toBe(true);
    expect(app.requests).toHaveLength(0); // the self-test is stored, never passed to the app
    expect(s.targetUrl).toBe(`${s.publicUrl}/webhooks/pictify`);
    const subs = emulator.store.subscriptions();
    expect(subs.map((x) => [x.event, x.targetUrl])).toEqual([
      ['render.completed', s.targetUrl],
      ['batch.completed', s.targetUrl],
    ]);
    const stored = config.secrets('default');
    for (const sub of s.subscriptions) {
      expect(stored[sub.uid].secret).toBe(sub.secret);
      expect(stored[sub.uid].temporary).toMatchObject({
        pid: process.pid,
        hostname: hostname(),
        publicUrl: s.publicUrl,
      });
      expect(stored[sub.uid].temporary?.tunnel?.provider).toBe('cloudflared');
    }

    // A real delivery from the emulator travels the tunnel and is verified with the temporary secret.
    receiver.setSecrets(s.subscriptions.map((x) => ({ secret: x.secret, source: subscriptionSource(x.uid) })));
    const [delivery] = await emulator.trigger({ event: 'render.completed' }, 5_000);
    expect(delivery.statusCode).toBe(200);
    expect(arrived).toEqual(['render.completed']);
    expect(app.requests.map((r) => r.url)).toEqual(['/app']);

    const outcome = await s.close();
    expect(outcome.failed).toEqual([]);
    expect(outcome.deleted).toEqual(s.subscriptions.map((x) => x.uid));
    expect(emulator.store.subscriptions()).toEqual([]);
    expect(config.secrets('default')).toEqual({});
    await expect(s.died).resolves.toBeDefined(); // the tunnel process is gone
  });

  it('its log is in <config>/tunnels/; logs older than a week are removed when a new one starts', async () => {
    const { mkdirSync, writeFileSync, utimesSync, existsSync, readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    mkdirSync(join(dir, 'tunnels'));
    const old = join(dir, 'tunnels', 'cloudflared-1.log');
    const recent = join(dir, 'tunnels', 'ngrok-2.log');
    writeFileSync(old, 'old');
    writeFileSync(recent, 'recent');
    utimesSync(old, new Date(Date.now() - 8 * 24 * 3600_000), new Date(Date.now() - 8 * 24 * 3600_000));
    const s = session({ kind: 'cloudflared' });
    await s.start();
    expect(s.logFile).toBe(join(dir, 'tunnels', `cloudflared-${process.pid}.log`));
    expect(readFileSync(s.logFile!, 'utf8')).toMatch(/quick Tunnel/);
    expect(existsSync(old)).toBe(false);
    expect(existsSync(recent)).toBe(true);
    await s.close();
  });

  it('ngrok works the same way', async () => {
    const s = session({ kind: 'ngrok' });
    await s.start();
    expect(emulator.store.subscriptions().map((x) => x.targetUrl)).toEqual([s.targetUrl]);
    await s.close();
    expect(emulator.store.subscriptions()).toEqual([]);
  });

  it('--keep leaves subscriptions and secrets, no longer temporary, and stops the tunnel', async () => {
    const s = session({ kind: 'cloudflared' });
    await s.start();
    const outcome = await s.close({ keep: true });
    expect(outcome.kept).toEqual([s.subscriptions[0].uid]);
    expect(emulator.store.subscriptions()).toHaveLength(1);
    const kept = config.secrets('default')[s.subscriptions[0].uid];
    expect(kept.secret).toBe(s.subscriptions[0].secret);
    expect(kept.temporary).toBeUndefined();
    await s.died;
  });

  it('a self-test that does not come back fails before any subscription is made', async () => {
    const s = session({ kind: 'cloudflared' }, ['render.completed'], {
      env: fakeEnv({ FAKE_TUNNEL_BEHAVIOUR: 'blackhole' }),
    });
    const error = await s.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TunnelError);
    expect((error as TunnelError).reason).toBe('self_test_failed');
    expect((error as TunnelError).message).toMatch(/answered 530 .*never reached listen/);
    await s.close();
    expect(emulator.store.subscriptions()).toEqual([]);
  });

  it('a failure half-way (the second create) leaves nothing after close()', async () => {
    let calls = 0;
    const failing = {
      createSubscription: async (input: { event: string; targetUrl: string }) => {
        if (++calls === 2) throw new Error('API down');
        return api.createSubscription(input);
      },
      deleteSubscription: (uid: string) => api.deleteSubscription(uid),
    };
    const s = session({ kind: 'public-url', url: receiver.url }, ['render.completed', 'render.failed'], {
      api: failing,
    });
    await expect(s.start()).rejects.toThrow('API down');
    expect(emulator.store.subscriptions()).toHaveLength(1);
    const outcome = await s.close();
    expect(outcome.deleted).toHaveLength(1);
    expect(emulator.store.subscriptions()).toEqual([]);
    expect(config.secrets('default')).toEqual({});
  });

  it('--public-url: no tunnel process; the self-test goes straight to the URL given', async () => {
    const s = session({ kind: 'public-url', url: `${receiver.url}/` });
    await s.start();
    expect(s.tunnel).toBeUndefined();
    expect(s.targetUrl).toBe(`${receiver.url}/webhooks/pictify`);
    await s.close();
    expect(emulator.store.subscriptions()).toEqual([]);
  });
});
