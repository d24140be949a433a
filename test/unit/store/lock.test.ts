// The config's inter-process lock (src/store/lock.ts): a `<file>.lock` folder with its holder's record inside.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openConfig } from '../../../src/store/config.js';
import { lockPathFor, readOwner, staleness, tryLock } from '../../../src/store/lock.js';
import { tempConfigDir } from '../../helpers/cli.js';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempConfigDir()));
afterEach(() => cleanup());

const file = () => join(dir, 'config.json');
const lockDir = () => lockPathFor(file());
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;
/** A lock folder as another process leaves it. */
function foreignLock(owner: { pid: number; hostname?: string } | undefined, ageMs = 0): void {
  mkdirSync(lockDir());
  if (owner) {
    const record = { pid: owner.pid, hostname: owner.hostname ?? hostname(), token: 'theirs', at: Date.now() };
    writeFileSync(join(lockDir(), 'owner.json'), JSON.stringify(record));
  }
  const t = new Date(Date.now() - ageMs);
  utimesSync(lockDir(), t, t);
}

describe('tryLock', () => {
  it('is one folder with our pid inside; a second try fails while we hold it; release removes it', () => {
    const lock = tryLock(file(), 10_000)!;
    expect(readOwner(lockDir())).toMatchObject({ pid: process.pid, hostname: hostname() });
    expect(tryLock(file(), 10_000)).toBeUndefined();
    lock.release();
    expect(existsSync(lockDir())).toBe(false);
  });

  it('takes over at once from a holder whose pid is gone, however fresh its lock', () => {
    foreignLock({ pid: deadPid() });
    expect(staleness(lockDir(), 10_000)).toMatch(/its holder \(pid \d+\) is gone/);
    const lock = tryLock(file(), 10_000);
    expect(lock).toBeDefined();
    expect(readOwner(lockDir())?.pid).toBe(process.pid);
    lock!.release();
    expect(readdirSync(dir)).toEqual([]); // nothing moved aside is left either
  });

  it('leaves a live holder alone until its lock is untouched for staleMs; refresh keeps it alive', () => {
    foreignLock({ pid: process.ppid }, 5_000);
    expect(tryLock(file(), 10_000)).toBeUndefined();
    const t = new Date(Date.now() - 20_000);
    utimesSync(lockDir(), t, t);
    expect(staleness(lockDir(), 10_000)).toMatch(/untouched for over 10 s/);

    const mine = tryLock(file(), 10_000)!;
    utimesSync(lockDir(), t, t);
    mine.refresh();
    expect(staleness(lockDir(), 10_000)).toBeUndefined();
    mine.release();
  });

  it('a holder on another host (pid not checkable) and an empty folder go by age only', () => {
    foreignLock({ pid: deadPid(), hostname: 'elsewhere' });
    expect(tryLock(file(), 10_000)).toBeUndefined();
    utimesSync(lockDir(), new Date(0), new Date(0));
    tryLock(file(), 10_000)!.release();
    foreignLock(undefined, 1_000);
    expect(tryLock(file(), 10_000)).toBeUndefined();
  });

  it('release leaves a lock that was taken over from us to its new holder', () => {
    const mine = tryLock(file(), 10_000)!;
    utimesSync(lockDir(), new Date(0), new Date(0));
    const theirs = tryLock(file(), 10_000)!; // judged ours stale
    mine.release();
    expect(existsSync(lockDir())).toBe(true);
    theirs.release();
    expect(existsSync(lockDir())).toBe(false);
  });
});

describe('the config lock installs no signal handler', () => {
  it('SIGINT/SIGTERM listeners are the same before and after writes (proper-lockfile’s signal-exit added some)', async () => {
    const before = [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM'), process.listenerCount('exit')];
    const store = await openConfig({ cwd: dir });
    store.saveSecret('default', 'wh_1', { secret: 'whsec_1' });
    await store.update((data) => void (data.profiles!.default.apiKey = 'pk_1'));
    expect([process.listenerCount('SIGINT'), process.listenerCount('SIGTERM'), process.listenerCount('exit')]).toEqual(
      before,
    );
  });
});
