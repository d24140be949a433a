// `listen --subscribe` against the stateful msw fake of Pictify's API, with --public-url pointing back at listen
// itself: the events Pictify's API reference does not list for subscriptions get a one-line warning, and are still
// subscribed to (the docs disagree, so we say it and do not refuse).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runWithSignals, useConfigDir } from '../helpers/cli.js';
import { FAKE_API_ENV, useFakeApi } from '../helpers/msw-api.js';
import { unusedPort } from '../helpers/ports.js';
import { waitForFile } from '../unit/receiver/deliver.js';

const fake = useFakeApi({ passLoopback: true });
const dir = useConfigDir();

/** listen --subscribe <events> until Ready, then Ctrl-C; what it printed and what it asked the API for. */
async function subscribeAndStop(events: string) {
  const port = await unusedPort();
  const readyFile = join(dir, `ready-${port}`);
  const listen = runWithSignals(
    dir,
    [
      'listen',
      '--port',
      String(port),
      '--no-store',
      '--subscribe',
      events,
      '--public-url',
      `http://127.0.0.1:${port}`,
      '--ready-file',
      readyFile,
    ],
    { env: FAKE_API_ENV },
  );
  await Promise.race([
    waitForFile(readyFile),
    listen.finished.then((r) => Promise.reject(new Error(`listen exited ${r.code}: ${r.stderr}`))),
  ]);
  listen.signal('SIGINT');
  const result = await listen.finished;
  const created = fake.requests.filter((q) => q.method === 'POST').map((q) => (q.body as { event: string }).event);
  const warnings = result.stderr.split('\n').filter((line) => line.includes('may not be subscribable'));
  return { ...result, created, warnings };
}

describe('listen --subscribe and events that may not be subscribable', { timeout: 30_000 }, () => {
  it('batch events: one warning line naming them and where they go, and they are still subscribed to', async () => {
    const r = await subscribeAndStop('render.completed,batch.completed,batch.failed');
    expect(r.warnings).toEqual([
      "warning: batch.completed, batch.failed may not be subscribable: Pictify's API reference lists only " +
        'render.completed, render.failed, binding.updated, binding.failed for subscriptions; batch results go to ' +
        'the webhookUrl given on each batch request',
    ]);
    expect(r.created).toEqual(['render.completed', 'batch.completed', 'batch.failed']);
    expect(r.code).toBe(130);
    expect(fake.subs.size).toBe(0);
  });

  it('events the API reference lists: no warning', async () => {
    const r = await subscribeAndStop('render.completed,binding.failed');
    expect(r.warnings).toEqual([]);
    expect(r.created).toEqual(['render.completed', 'binding.failed']);
    expect(r.code).toBe(130);
  });
});

/** A listen --subscribe expected to stop before Ready: what it printed. */
async function refusedListen(subscribe: string[], more: string[], env: Record<string, string> = {}) {
  const args = ['listen', '--port', String(await unusedPort()), '--no-store', ...subscribe, ...more];
  return runWithSignals(dir, args, { env: { ...FAKE_API_ENV, ...env } }).finished;
}

describe('listen --subscribe with --write-env', { timeout: 30_000 }, () => {
  it('refuses several events before anything is created: one PICTIFY_WEBHOOK_SECRET cannot verify them all', async () => {
    const envFile = join(dir, '.env.local');
    const r = await refusedListen(
      ['--subscribe', 'render.completed', '--subscribe', 'render.failed', '--public-url', 'http://127.0.0.1:9'],
      ['--write-env', envFile],
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'error: --write-env writes one PICTIFY_WEBHOOK_SECRET, but 2 events (render.completed, render.failed) make 2 ' +
        'subscriptions, each with its own secret',
    );
    expect(r.stderr).toContain('— run one listen --subscribe <event> --write-env per event');
    expect(fake.requests.filter((q) => q.method === 'POST')).toEqual([]);
    expect(existsSync(envFile)).toBe(false);
  });
});

describe('listen --tunnel without the tunnel installed', { timeout: 30_000 }, () => {
  it('says so in one line before announcing anything, and leaves no empty log file', async () => {
    const r = await refusedListen(['--subscribe', 'render.completed', '--tunnel', 'cloudflared'], [], {
      PATH: '/nonexistent',
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: cloudflared is not installed (not found on PATH)');
    expect(r.stderr).not.toContain('Starting cloudflared');
    const logs = join(dir, 'tunnels');
    expect(existsSync(logs) ? readdirSync(logs).filter((f) => f.startsWith('cloudflared')) : []).toEqual([]);
    expect(fake.requests.filter((q) => q.method === 'POST')).toEqual([]);
  });
});
