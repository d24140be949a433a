// An inter-process lock on one file, as a folder next to it: `mkdir <file>.lock` either creates it (we hold the lock)
// or fails with EEXIST (someone else does) — atomic on every local file system. The holder writes its pid, host and
// a token inside, so a waiter can tell a lock whose holder died (pid gone: taken over at once) from a live one.
// A lock whose folder has not been touched for `staleMs` is taken over too (a holder on another host, or one that
// died before writing its record); a holder that keeps it longer refreshes its mtime (LockHandle.refresh).
//
// Our own rather than proper-lockfile: its signal-exit dependency installs SIGINT/SIGTERM handlers that re-raise
// the signal once they are the last listeners — which killed `listen` in the middle of its Ctrl-C cleanup, leaving
// its temporary subscriptions behind (issue 11). This module installs no handler and starts no timer.
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { FLAGS, openRegularSync } from './regular-file.js';

export interface LockHandle {
  /** Marks the lock as alive (mtime now), for a holder that keeps it for long. */
  refresh(): void;
  /** Removes the lock if it is still ours (a lock taken over from us is left to its new holder). */
  release(): void;
}

/** What a holder writes into the lock folder. */
export interface LockOwner {
  pid: number;
  hostname: string;
  token: string;
  /** When it was taken (ms since the epoch). */
  at: number;
}

const OWNER_FILE = 'owner.json';

/** `<file>.lock`: the folder name the lock on `file` uses. */
export function lockPathFor(file: string): string {
  return `${file}.lock`;
}

/**
 * Takes the lock on `file` if it is free or stale; returns undefined while a live holder has it. Errors other than
 * "already locked" (a folder that cannot be written) are thrown as they are.
 */
export function tryLock(file: string, staleMs: number, now: () => number = Date.now): LockHandle | undefined {
  const lockPath = lockPathFor(file);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      mkdirSync(lockPath, { mode: 0o700 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // Taken over only once per call: if the takeover races another waiter's, the next call looks again.
      if (attempt > 0 || !takeOverIfStale(lockPath, staleMs, now)) return undefined;
      continue;
    }
    const owner: LockOwner = {
      pid: process.pid,
      hostname: hostname(),
      token: randomBytes(8).toString('hex'),
      at: now(),
    };
    try {
      const fd = openRegularSync(`${lockPath}/${OWNER_FILE}`, FLAGS.createNew, 0o600);
      try {
        writeFileSync(fd, JSON.stringify(owner));
      } finally {
        closeSync(fd);
      }
    } catch (error) {
      rmSync(lockPath, { recursive: true, force: true });
      throw error;
    }
    return handleFor(lockPath, owner.token);
  }
  return undefined;
}

function handleFor(lockPath: string, token: string): LockHandle {
  return {
    refresh() {
      const t = new Date();
      utimesSync(lockPath, t, t);
    },
    release() {
      // Someone who judged us stale may hold it now: only our own record is removed.
      if (readOwner(lockPath)?.token !== token) return;
      rmSync(lockPath, { recursive: true, force: true });
    },
  };
}

/** The holder's record, or undefined (not written yet, gone, or not ours to read). */
export function readOwner(lockPath: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(`${lockPath}/${OWNER_FILE}`, 'utf8')) as LockOwner;
    return typeof owner.pid === 'number' && typeof owner.token === 'string' ? owner : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a process with this pid exists on this machine (EPERM: it does, it is just not ours). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Why the lock at `lockPath` may be taken over, or undefined while its holder counts as alive. */
export function staleness(lockPath: string, staleMs: number, now: () => number = Date.now): string | undefined {
  let mtimeMs: number;
  try {
    mtimeMs = statSync(lockPath).mtimeMs;
  } catch {
    return undefined; // released meanwhile: not stale, free — the next mkdir will tell
  }
  const owner = readOwner(lockPath);
  if (owner && owner.hostname === hostname() && owner.pid !== process.pid && !isRunning(owner.pid)) {
    return `its holder (pid ${owner.pid}) is gone`;
  }
  if (now() - mtimeMs > staleMs) return `untouched for over ${Math.round(staleMs / 1000)} s`;
  return undefined;
}

/**
 * Moves a stale lock aside (one rename: of several waiters that judged it stale, only one gets it) and removes it.
 * Returns whether the lock folder is gone, so that the caller's next mkdir may succeed.
 */
function takeOverIfStale(lockPath: string, staleMs: number, now: () => number): boolean {
  const before = identity(lockPath);
  if (before === undefined) return true; // released while we looked
  if (staleness(lockPath, staleMs, now) === undefined) return false;
  const aside = `${lockPath}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    renameSync(lockPath, aside);
  } catch {
    return true; // another waiter moved it first (or it was released): look again
  }
  if (identity(aside) !== before) {
    // Between our look and our rename the stale lock was replaced by a live one: give it back.
    try {
      renameSync(aside, lockPath);
      return false;
    } catch {
      // The path is taken again already, so two processes hold the lock for a moment and one of their writes may be
      // lost. It takes a stale lock, a takeover and a fresh acquisition all within the same few microseconds.
    }
  }
  rmSync(aside, { recursive: true, force: true });
  return true;
}

/** Tells one holder's lock folder from the next one's (inode numbers alone get reused). */
export function identity(lockPath: string): string | undefined {
  try {
    const st = statSync(lockPath);
    return `${st.ino}:${st.birthtimeMs}`;
  } catch {
    return undefined;
  }
}
