// The config store's writes: read-modify-write under an inter-process lock, re-read inside it, atomic, 0600.
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { openConfig } from '../../../src/store/config.js';
import { tryLock } from '../../../src/store/lock.js';
import { tempConfigDir } from '../../helpers/cli.js';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempConfigDir()));
afterEach(() => cleanup());

const file = () => join(dir, 'config.json');
const onDisk = () => JSON.parse(readFileSync(file(), 'utf8'));

describe('ConfigStore writes', () => {
  it('two stores opened before either wrote both keep their secret', async () => {
    const a = await openConfig({ cwd: dir });
    const b = await openConfig({ cwd: dir });
    a.saveSecret('default', 'wh_a', { secret: 'whsec_a' });
    b.saveSecret('default', 'wh_b', { secret: 'whsec_b' });
    await b.update((data) => void (data.profiles!.ci = { apiKey: 'pk_ci' }));
    a.setValue('default', 'base-url', 'http://127.0.0.1:4010');
    expect(onDisk().profiles.default.secrets).toEqual({ wh_a: { secret: 'whsec_a' }, wh_b: { secret: 'whsec_b' } });
    expect(onDisk().profiles.ci).toEqual({ apiKey: 'pk_ci' });
    expect(onDisk().profiles.default.baseUrl).toBe('http://127.0.0.1:4010');
  });

  it('re-reads inside the lock: what the holder wrote while we waited for the lock is kept', async () => {
    const a = await openConfig({ cwd: dir });
    a.saveSecret('default', 'wh_a', { secret: 'whsec_a' });
    // Another process holds the lock; `a` starts its change and waits for it.
    const held = tryLock(file(), 10_000)!;
    const pending = a.update((data) => void (data.profiles!.default.secrets!.wh_c = { secret: 'whsec_c' }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    // The holder writes, then lets go: a read made before the lock was taken would not have this.
    const data = onDisk();
    data.profiles.default.secrets.wh_b = { secret: 'whsec_b' };
    writeFileSync(file(), JSON.stringify(data));
    held.release();
    await pending;
    expect(onDisk().profiles.default.secrets).toEqual({
      wh_a: { secret: 'whsec_a' },
      wh_b: { secret: 'whsec_b' },
      wh_c: { secret: 'whsec_c' },
    });
  });

  it('update returns what the change returns and writes nothing when the change changes nothing', async () => {
    const store = await openConfig({ cwd: dir });
    expect(await store.update((data) => Object.keys(data.profiles ?? {}).length)).toBe(0);
    expect(readdirSync(dir)).toEqual([]);
    store.saveSecret('default', 'wh_1', { secret: 'whsec_1' });
    const before = statSync(file());
    expect(store.updateSync((data) => data.profiles!.default.secrets!.wh_1.secret)).toBe('whsec_1');
    expect(statSync(file()).ino).toBe(before.ino);
  });

  it('writes by rename: mode 0600 even over a 0644 file, no temp file or lock left behind', async () => {
    writeFileSync(file(), '{"profiles":{}}\n', { mode: 0o644 });
    chmodSync(file(), 0o644);
    const store = await openConfig({ cwd: dir });
    const ino = statSync(file()).ino;
    store.saveSecret('default', 'wh_1', { secret: 'whsec_1' });
    expect(statSync(file()).mode & 0o777).toBe(0o600);
    expect(statSync(file()).ino).not.toBe(ino);
    expect(readdirSync(dir)).toEqual(['config.json']);
  });

  it('refuses to write over a file that became invalid, and leaves it as it is', async () => {
    const store = await openConfig({ cwd: dir });
    writeFileSync(file(), '{"profiles": [');
    expect(() => store.saveSecret('default', 'wh_1', { secret: 'whsec_1' })).toThrow(/is not valid/);
    await expect(store.update(() => undefined)).rejects.toThrow(ConfigError);
    expect(readFileSync(file(), 'utf8')).toBe('{"profiles": [');
  });

  it('takes over a stale lock left by a process that died holding it', async () => {
    const store = await openConfig({ cwd: dir, lockStaleMs: 2000 });
    mkdirSync(`${file()}.lock`);
    const old = new Date(Date.now() - 60_000);
    utimesSync(`${file()}.lock`, old, old);
    const started = Date.now();
    store.saveSecret('default', 'wh_1', { secret: 'whsec_1' });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(onDisk().profiles.default.secrets.wh_1.secret).toBe('whsec_1');
    expect(readdirSync(dir)).toEqual(['config.json']);
  });

  it('gives up with a ConfigError naming the file when a live holder keeps the lock past the timeout', async () => {
    const store = await openConfig({ cwd: dir, lockTimeoutMs: 400 });
    store.saveSecret('default', 'wh_1', { secret: 'whsec_1' });
    const lock = tryLock(file(), 10_000)!;
    try {
      const started = Date.now();
      const error = await store.update((data) => void (data.profiles!.default.apiKey = 'pk_x')).catch((e) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.path).toBe(file());
      expect(error.message).toMatch(/config\.json is locked by another pictify-hooks process \(held for over 0\.4 s\)/);
      expect(Date.now() - started).toBeGreaterThanOrEqual(400);
      expect(() => store.removeSecret('default', 'wh_1')).toThrow(/is locked/);
    } finally {
      lock.release();
    }
    expect(onDisk().profiles.default).toEqual({ secrets: { wh_1: { secret: 'whsec_1' } } });
  });

  it('keeps waiting while the lock changes hands (a queue that moves is not a timeout)', async () => {
    const store = await openConfig({ cwd: dir, lockTimeoutMs: 300 });
    let lock = tryLock(file(), 10_000)!;
    // Re-taken every 150 ms for 900 ms: three times the timeout, but never one holder for longer than 300 ms.
    const handOver = (async () => {
      for (let i = 0; i < 6; i++) {
        await new Promise((r) => setTimeout(r, 150));
        lock.release();
        lock = tryLock(file(), 10_000)!;
      }
      lock.release();
    })();
    await store.update((data) => void ((data.profiles ??= {}).default = { apiKey: 'pk_after_queue' }));
    await handOver;
    expect(onDisk().profiles.default.apiKey).toBe('pk_after_queue');
  });
});
