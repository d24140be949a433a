// Parallel CI jobs share one config file: every `create` must keep its one-time secret (issue 11, item 1).
// Real processes of the built bin against the built-in emulator, all started at once.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import lockfile from 'proper-lockfile';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Cli, waitFor } from '../helpers/bin.js';
import { tempConfigDir } from '../helpers/cli.js';

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
  it('is taken over when the process holding it was killed', async () => {
    mkdirSync(join(dir, 'config'), { recursive: true });
    const lockModule = fileURLToPath(import.meta.resolve('proper-lockfile'));
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `require(${JSON.stringify(lockModule)}).lockSync(${JSON.stringify(configFile())}, { realpath: false });` +
          `console.log('locked'); setInterval(() => {}, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    cli.children.push(holder);
    let out = '';
    holder.stdout!.on('data', (c: Buffer) => (out += c));
    await waitFor(() => out.includes('locked'), 'the holder to take the lock');
    holder.kill('SIGKILL');

    const started = Date.now();
    const r = await create(1, 25_000);
    expect(r.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(await savedUids()).toEqual([JSON.parse(r.stdout).uid]);
  });

  it('held by a live process for over 10 s: create still prints the secret, warns loudly and exits 1', async () => {
    mkdirSync(join(dir, 'config'), { recursive: true });
    // Kept fresh (mtime refreshed every second), as a live holder's lock is: it is never stale.
    const release = await lockfile.lock(configFile(), { realpath: false, update: 1000 });
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
      await release();
    }
    expect(await savedUids()).toEqual([]);
  });
});
