// Parallel CI jobs share one config file: every `create` must keep its one-time secret (issue 11, item 1).
// Real processes of the built bin against the built-in emulator, all started at once. The lock is our own
// (src/store/lock.ts, no signal handlers): a holder that dies is taken over at once, a live one past 10 s is an
// error, and Ctrl-C — in `listen`'s cleanup or during a wait — neither kills the cleanup nor leaves a lock behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, Cli, waitFor } from '../helpers/bin.js';
import { tempConfigDir } from '../helpers/cli.js';
import { fakeEnv } from '../unit/tunnel/support.js';

let dir: string;
let cleanup: () => void;
let cli: Cli;
let env: Record<string, string>;
beforeEach(async () => {
  ({ dir, cleanup } = tempConfigDir());
  cli = new Cli({ PICTIFY_HOOKS_CONFIG_DIR: join(dir, 'config') });
  // Not startWithReadyFile: its 60 s limit is shorter than 50 processes may take on a loaded 2-core machine.
  const ready = join(dir, 'emulator-ready');
  cli.spawn(['emulator', '--port', '0', '--ready-file', ready], { timeoutMs: 400_000 });
  const url = await waitFor(
    () => (existsSync(ready) ? readFileSync(ready, 'utf8').trim() || undefined : undefined),
    'emulator',
  );
  env = { PICTIFY_BASE_URL: url, PICTIFY_API_KEY: 'pk_test_config_lock' };
});
afterEach(() => {
  cli.killAll();
  cleanup();
});

const configFile = () => join(dir, 'config', 'config.json');
const LOCK_MODULE = pathToFileURL(join(BIN, '..', '..', 'dist', 'store', 'lock.js')).href;

/**
 * Another process holding the config lock as a live pictify-hooks would: its pid inside, the mtime refreshed every
 * second. It lets go on `release()` (or when killed).
 */
async function holdConfigLock(): Promise<{ child: ChildProcess; release: () => Promise<void> }> {
  mkdirSync(join(dir, 'config'), { recursive: true });
  const script =
    `const { tryLock } = await import(${JSON.stringify(LOCK_MODULE)});` +
    `const lock = tryLock(${JSON.stringify(configFile())}, 10000);` +
    `if (!lock) { console.log('busy'); process.exit(1); }` +
    `console.log('locked'); const t = setInterval(() => lock.refresh(), 1000);` +
    `process.stdin.on('data', () => { clearInterval(t); lock.release(); console.log('released'); process.exit(0); });`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  cli.children.push(child);
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c));
  await waitFor(() => out.includes('locked') || undefined, 'the holder to take the lock');
  return {
    child,
    release: async () => {
      child.stdin!.write('go\n');
      await waitFor(() => out.includes('released') || undefined, 'the holder to let go');
    },
  };
}

/** Lock folders, moved-aside locks and temp files in the config folder. */
const leftovers = () => readdirSync(join(dir, 'config')).filter((name) => /\.lock|\.tmp$/.test(name));
const create = (i: number, timeoutMs = 170_000) =>
  cli.run(['create', '--event', 'render.completed', '--url', `http://127.0.0.1:3000/h${i}`, '--json'], {
    env,
    timeoutMs,
  });

async function savedUids(): Promise<string[]> {
  const listed = await cli.run(['secrets', 'list', '--json'], { env });
  expect(listed.code).toBe(0);
  return (JSON.parse(listed.stdout) as Array<{ uid: string }>).map((s) => s.uid).sort();
}

// (A retry line or two before it is fine: 50 processes keep even the emulator busy.)
const SAVED = expect.stringMatching(/^(?![\s\S]*NOT be saved)[\s\S]*Secret saved to .*config\.json/);

describe.each([20, 50])('%i parallel `create` processes', (n) => {
  it('all exit 0 and every secret is saved', { timeout: 180_000 }, async () => {
    const results = await Promise.all(Array.from({ length: n }, (_, i) => create(i)));
    for (const r of results) expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: SAVED });
    const created = results.map((r) => JSON.parse(r.stdout).uid as string).sort();
    expect(new Set(created).size).toBe(n);
    expect(await savedUids()).toEqual(created);
  });
});

describe('the config lock', () => {
  it('is taken over at once when the process holding it was killed (its pid is gone: no 10 s wait)', async () => {
    const holder = await holdConfigLock();
    holder.child.kill('SIGKILL');
    await new Promise((resolve) => holder.child.once('close', resolve));
    expect(existsSync(`${configFile()}.lock`)).toBe(true);

    const started = Date.now();
    const r = await create(1, 25_000);
    expect(r.code, r.stderr).toBe(0);
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(await savedUids()).toEqual([JSON.parse(r.stdout).uid]);
    expect(leftovers()).toEqual([]);
  });

  it('held by a live process for over 10 s: create still prints the secret, warns loudly and exits 1', async () => {
    mkdirSync(join(dir, 'config'), { recursive: true });
    // Kept fresh (mtime refreshed every second), as a live holder's lock is: it is never stale.
    const holder = await holdConfigLock();
    try {
      const started = Date.now();
      const r = await cli.run(['create', '--event', 'render.completed', '--url', 'http://127.0.0.1:3000/h'], {
        env,
        timeoutMs: 25_000,
      });
      expect(Date.now() - started).toBeGreaterThanOrEqual(10_000);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/secret\s+whsec_\w+/);
      expect(r.stderr).toMatch(
        /WARNING: the secret above could NOT be saved \(the config file .*config\.json is locked/,
      );
      expect(r.stderr).toMatch(/Copy it now/);
    } finally {
      await holder.release();
    }
    expect(await savedUids()).toEqual([]);
  });

  it('Ctrl-C while a command waits for the lock leaves no lock, temp file or half-written config behind', async () => {
    await cli.run(['secrets', 'set', 'wh_before', 'whsec_before'], { env });
    const holder = await holdConfigLock();
    const waiting = cli.spawn(['secrets', 'set', 'wh_waiting', 'whsec_waiting'], { env, timeoutMs: 25_000 });
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // well into its wait (it has nothing else to do)
    expect(waiting.child.exitCode).toBeNull();
    waiting.child.kill('SIGINT');
    const done = await waiting.done;
    // Nothing of ours to undo while waiting, so Node's default action ends it: the shell reports that as 130 too.
    expect(done.code === 130 || done.signal === 'SIGINT', `${done.code} ${done.signal}`).toBe(true);
    await holder.release();
    expect(leftovers()).toEqual([]);
    expect(await savedUids()).toEqual(['wh_before']);
    const started = Date.now();
    expect((await cli.run(['secrets', 'set', 'wh_after', 'whsec_after'], { env })).code).toBe(0);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await savedUids()).toEqual(['wh_after', 'wh_before']);
  });
});

describe('listen --subscribe stopped with Ctrl-C while another process holds the config lock', () => {
  it(
    'still deletes its subscriptions and secrets (0 left) and exits 130, Ctrl-C again or not',
    { timeout: 120_000 },
    async () => {
      const baseUrl = env.PICTIFY_BASE_URL;
      const subscriptions = async () =>
        (
          (await (
            await fetch(`${baseUrl}/webhook-subscriptions?limit=100`, {
              headers: { authorization: `Bearer ${env.PICTIFY_API_KEY}` },
            })
          ).json()) as { subscriptions: unknown[] }
        ).subscriptions;
      const ready = join(dir, 'listen-ready');
      const listen = cli.spawn(
        [
          'listen',
          '--port',
          '0',
          '--subscribe',
          'render.completed',
          '--subscribe',
          'render.failed',
          '--tunnel',
          'cloudflared',
          '--ready-file',
          ready,
        ],
        { env: { ...env, ...fakeEnv(), FAKE_TUNNEL_STATE_FILE: join(dir, 'tunnel-state.json') }, timeoutMs: 110_000 },
      );
      await waitFor(() => (existsSync(ready) ? true : undefined), 'listen to be ready', 60_000);
      expect(await subscriptions()).toHaveLength(2);
      expect(await savedUids()).toHaveLength(2);

      // A holder that keeps the lock for 3 s after the Ctrl-C, and two commands queued behind it.
      const holder = await holdConfigLock();
      const queued = [1, 2].map((i) => cli.run(['secrets', 'set', `wh_queued${i}`, `whsec_queued${i}`], { env }));
      listen.child.kill('SIGINT');
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      // An impatient second Ctrl-C (and a SIGTERM) while it waits for the lock must not kill the cleanup halfway.
      listen.child.kill('SIGINT');
      listen.child.kill('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(listen.child.exitCode).toBeNull(); // waiting for the lock to delete the secrets, not killed by a signal
      expect(listen.child.signalCode).toBeNull();
      await holder.release();

      const done = await listen.done;
      expect({ code: done.code, signal: done.signal }, done.stderr).toEqual({ code: 130, signal: null });
      expect(done.stderr).toMatch(/Deleted 2 temporary subscriptions and their secrets/);
      expect(done.stderr.match(/still deleting the temporary subscriptions/g)).toHaveLength(1);
      expect(await subscriptions()).toEqual([]);
      for (const r of await Promise.all(queued)) expect(r.code, r.stderr).toBe(0);
      expect(await savedUids()).toEqual(['wh_queued1', 'wh_queued2']);
      expect(leftovers()).toEqual([]);
    },
  );
});
