// One apply at a time per config folder. Two applies that both saw "blog-cards: create" would otherwise both
// create it (each with its own Idempotency-Key): the second one waits here, then plans again from what the first
// left live and recorded, and finds nothing to do. The lock is the config store's kind (a folder, see
// store/lock.ts): a holder that died is taken over at once; a live one keeps it fresh while it works.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { identity, lockPathFor, readOwner, tryLock } from '../store/lock.js';
import { ApplyLockedError } from './errors.js';

/** Longer than any one API call with its retries, so a live holder is never judged stale. */
const STALE_MS = 120_000;
const REFRESH_MS = 5_000;
export const APPLY_WAIT_MS = 300_000;

export interface ApplyLockOptions {
  /** Called once, when the lock is taken by someone else (to say so on stderr). */
  onWait?(holderPid: number | undefined): void;
  waitMs?: number;
}

export async function withApplyLock<T>(
  configPath: string,
  work: () => Promise<T>,
  options: ApplyLockOptions = {},
): Promise<T> {
  const folder = dirname(configPath);
  // A first run may come before anything made the config folder (0700, like the config store makes it).
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const file = join(folder, 'apply');
  const waitMs = options.waitMs ?? APPLY_WAIT_MS;
  const started = Date.now();
  let told = false;
  let lock = tryLock(file, STALE_MS);
  while (!lock) {
    const holder = readOwner(lockPathFor(file))?.pid;
    if (!told) options.onWait?.(holder);
    told = true;
    if (Date.now() - started > waitMs) throw new ApplyLockedError(lockPathFor(file), holder, waitMs);
    await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 100));
    lock = tryLock(file, STALE_MS);
  }
  const held = lock;
  const mine = identity(lockPathFor(file));
  const timer = setInterval(() => {
    try {
      if (identity(lockPathFor(file)) === mine) held.refresh();
    } catch {
      // Gone: released below anyway.
    }
  }, REFRESH_MS);
  timer.unref();
  try {
    return await work();
  } finally {
    clearInterval(timer);
    held.release();
  }
}
