// The config file: profiles with an API key, base url and the one-time secrets of their subscriptions.
// Always mode 0600, never reset when it cannot be read. Every change is a read-modify-write under an inter-process
// lock (lock.ts: a `<file>.lock` folder), re-reading the file inside it, and lands by temp file + fsync + rename:
// parallel `create`s in CI each add their secret instead of overwriting each other's, and a crash leaves the old
// file or the new one, never half of one.
//
// Plain fs rather than conf: we always read and write the whole object and check its shape ourselves, and the
// write is the critical section that 50 parallel processes queue for, so it should cost syscalls, not a module
// graph (conf + ajv cost ~0.4 s of CPU per process to load).
import {
  closeSync,
  fstatSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { userInfo } from 'node:os';
import { dirname } from 'node:path';
import { ConfigError } from '../errors.js';
import { isJsonObject } from '../events/json-object.js';
import { configFilePath } from './config-dir.js';
import { PROFILE_KEYS, type ProfileKey } from './profile-keys.js';
import { FLAGS, NotRegularFileError, openFailure, openRegularSync } from './regular-file.js';
// Type-only: the lock is loaded by openConfig.
import type * as LockModule from './lock.js';
import type { LockHandle } from './lock.js';

export interface StoredSecret {
  secret: string;
  event?: string;
  targetUrl?: string;
  /**
   * The API the subscription lives at (its base url): an emulator on another port, or the real API, has other
   * subscriptions. Absent on records made before it was kept: those count as the current API's.
   */
  baseUrl?: string;
  createdAt?: string;
  /** Set for a subscription `listen --subscribe` made for itself: deleted when that listen stops. */
  temporary?: TemporaryMark;
}

/** Who owns a temporary subscription, so a later listen or `cleanup` can tell a dead owner from a live one. */
export interface TemporaryMark {
  pid: number;
  hostname: string;
  /** When that listen started (ISO). */
  startedAt: string;
  publicUrl: string;
  /** Its tunnel's process (the leader of its own group) and, on Linux, that process's start time in clock ticks. */
  tunnel?: { provider: string; pid: number; startTicks?: string };
}

export interface ProfileData {
  apiKey?: string;
  baseUrl?: string;
  maxRetryWait?: string;
  secrets?: Record<string, StoredSecret>;
  /** `apply`'s names (src/declarative/): which subscription each name of a subscriptions file is. */
  managed?: Record<string, ManagedName>;
}

// Every key `config` may touch names a field of ProfileData.
PROFILE_KEYS satisfies Record<string, keyof ProfileData>;

/** A subscription as a subscriptions file describes it (what `apply` last made it). */
export interface AppliedState {
  event: string;
  url: string;
  platform: string;
  status: string;
  filters: Record<string, string>;
}

/** One name of a subscriptions file, as `apply` left it. */
export interface ManagedName {
  uid?: string;
  /** What `apply` last made it: a live value that differs was changed elsewhere (the dashboard, Pictify). */
  applied?: AppliedState;
  /** A create sent but not yet answered: the next apply resends it with the same Idempotency-Key. */
  pending?: { idempotencyKey: string; request: string; at: string };
  /** Uids this name replaced that are not deleted yet (an apply stopped between the create and the delete). */
  retiring?: string[];
}

/** The whole file, as `update` hands it to a change. */
export interface ConfigData {
  profiles?: Record<string, ProfileData>;
}

/**
 * How long a change waits for one holder of the lock before giving up. The wait restarts whenever the lock changes
 * hands: 50 parallel `create`s on a loaded 2-core machine form a queue that moves, and each of them must get in.
 */
export const LOCK_TIMEOUT_MS = 10_000;
/**
 * A lock untouched for this long belongs to a process that died holding it (or one on another host), and is taken
 * over; a holder whose pid is gone on this machine is taken over at once. Locks are held only for the synchronous
 * read-modify-write, never across an await: milliseconds, a second or two on a machine with a load of 60, so a
 * live holder never comes near it.
 */
export const LOCK_STALE_MS = 10_000;

export interface ConfigLockOptions {
  /** src/store/lock.ts, loaded by openConfig. */
  module: typeof LockModule;
  /** Default LOCK_TIMEOUT_MS. */
  timeoutMs?: number;
  /** Default LOCK_STALE_MS. */
  staleMs?: number;
}

export class ConfigStore {
  readonly path: string;
  readonly #lock: Required<ConfigLockOptions>;

  constructor(path: string, lock: ConfigLockOptions) {
    this.path = path;
    this.#lock = {
      module: lock.module,
      timeoutMs: lock.timeoutMs ?? LOCK_TIMEOUT_MS,
      staleMs: lock.staleMs ?? LOCK_STALE_MS,
    };
  }

  /**
   * Applies `change` to a fresh read of the whole file and writes the result, under the lock; waits for the lock
   * without blocking the event loop (for long-running commands: listen, the tunnel's temporary subscriptions).
   * Returns what `change` returns. A change that leaves the data as it was writes nothing.
   */
  async update<T>(change: (data: ConfigData) => T): Promise<T> {
    const wait: LockWait = { holder: undefined, deadline: 0, tries: 0 };
    for (;;) {
      const lock = this.#tryLock(wait);
      if (lock) return this.#changeLocked(change, lock);
      await new Promise((resolve) => setTimeout(resolve, retryDelayMs(wait.tries++)));
    }
  }

  /** `update` for one-shot commands: waits for the lock synchronously, which is fine where nothing else runs. */
  updateSync<T>(change: (data: ConfigData) => T): T {
    const wait: LockWait = { holder: undefined, deadline: 0, tries: 0 };
    for (;;) {
      const lock = this.#tryLock(wait);
      if (lock) return this.#changeLocked(change, lock);
      sleepSync(retryDelayMs(wait.tries++));
    }
  }

  profileNames(): string[] {
    return Object.keys(this.read().profiles ?? {});
  }

  profile(name: string): ProfileData {
    return structuredClone(this.read().profiles?.[name] ?? {});
  }

  setValue(profile: string, key: ProfileKey, value: string): void {
    this.#update(profile, (p) => void (p[PROFILE_KEYS[key]] = value));
  }

  unsetValue(profile: string, key: ProfileKey): void {
    this.#update(profile, (p) => void delete p[PROFILE_KEYS[key]]);
  }

  secrets(profile: string): Record<string, StoredSecret> {
    return this.profile(profile).secrets ?? {};
  }

  secret(profile: string, uid: string): StoredSecret | undefined {
    return this.secrets(profile)[uid];
  }

  saveSecret(profile: string, uid: string, data: StoredSecret): void {
    this.#update(profile, (p) => void ((p.secrets ??= {})[uid] = data));
  }

  /** Returns whether a secret was there to remove. */
  removeSecret(profile: string, uid: string): boolean {
    let removed = false;
    this.#update(profile, (p) => {
      if (p.secrets && uid in p.secrets) {
        delete p.secrets[uid];
        removed = true;
      }
    });
    return removed;
  }

  /**
   * The file as it is now on disk (a missing or empty file is an empty config). Only a regular file, in a folder
   * and owned by someone only we (or root) can write to: a base-url planted by another user would receive the key.
   */
  read(): ConfigData {
    const folder = untrusted(dirname(this.path), statSync(dirname(this.path), { throwIfNoEntry: false }), 'folder');
    if (folder) throw folder;
    let raw: string;
    let fd: number;
    try {
      fd = openRegularSync(this.path, FLAGS.read);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw unreadable(this.path, error);
    }
    try {
      const file = untrusted(this.path, fstatSync(fd), 'file');
      if (file) throw file;
      raw = readFileSync(fd, 'utf8');
    } catch (error) {
      if (error instanceof ConfigError) throw error;
      throw unreadable(this.path, error);
    } finally {
      closeSync(fd);
    }
    if (raw.trim() === '') return {};
    let data: unknown;
    try {
      data = JSON.parse(raw);
    } catch (error) {
      throw corrupted(this.path, error);
    }
    const problem = shapeProblem(data);
    if (problem) throw corrupted(this.path, new Error(problem));
    return data as ConfigData;
  }

  #update(profile: string, change: (p: ProfileData) => void): void {
    this.updateSync((data) => change(((data.profiles ??= {})[profile] ??= {})));
  }

  /** The lock, or undefined while another live process holds it (and the wait behind that holder is not over). */
  #tryLock(wait: LockWait): LockHandle | undefined {
    let lock: LockHandle | undefined;
    try {
      mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
      lock = this.#lock.module.tryLock(this.path, this.#lock.staleMs);
    } catch (error) {
      throw writeFailed(this.path, error);
    }
    if (lock) return lock;
    const { identity, lockPathFor } = this.#lock.module;
    const holder = identity(lockPathFor(this.path));
    // Gone by the time we looked (undefined) is progress too: its holder just released it.
    if (holder === undefined || holder !== wait.holder) {
      wait.holder = holder;
      wait.deadline = Date.now() + this.#lock.timeoutMs;
      wait.tries = 0;
    }
    if (Date.now() < wait.deadline) return undefined;
    const held = `held for over ${this.#lock.timeoutMs / 1000} s`;
    throw new ConfigError(`the config file ${this.path} is locked by another pictify-hooks process (${held})`, {
      code: 'locked',
      path: this.path,
      lockPath: lockPathFor(this.path),
    });
  }

  #changeLocked<T>(change: (data: ConfigData) => T, lock: LockHandle): T {
    let written = false;
    try {
      const before = this.read(); // inside the lock: another process may have written since we last looked
      const data = structuredClone(before);
      const result = change(data);
      const text = `${JSON.stringify(data, undefined, '\t')}\n`;
      if (text === `${JSON.stringify(before, undefined, '\t')}\n`) return result;
      const problem = shapeProblem(data);
      if (problem) throw new Error(`refusing to write an invalid config: ${problem}`);
      writeAtomically(this.path, text);
      written = true;
      return result;
    } finally {
      try {
        lock.release();
      } catch {
        // Already gone (someone removed the lock folder): nothing of ours is left to release.
      }
      // The rename is durable once its folder is synced; done outside the lock, nobody needs to wait for it.
      if (written) syncFolder(dirname(this.path));
    }
  }
}

/** Temp file (0600 from its first byte) in the same folder, fsync, rename over the old file. */
function writeAtomically(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp`;
  try {
    const fd = openRegularSync(tmp, FLAGS.createNew, 0o600);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw writeFailed(path, error);
  }
}

function syncFolder(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Not every file system lets a folder be synced; the file itself already is.
  }
}

interface LockWait {
  /** Which lock we are waiting behind (lock.ts identity). */
  holder: string | undefined;
  deadline: number;
  /** Retries behind this holder so far (the backoff grows with them). */
  tries: number;
}

function writeFailed(path: string, error: unknown): ConfigError {
  return new ConfigError(`could not write the config file ${path}: ${(error as Error).message}`, {
    code: 'write_failed',
    path,
    cause: error,
  });
}

/**
 * Backs off from ~10 ms to ~100 ms behind one holder (a quick write is caught at once, a slow one is not polled
 * hard); jittered, so a crowd of waiting processes does not retry in lockstep.
 */
function retryDelayMs(tries: number): number {
  const base = Math.min(100, 10 * 1.5 ** tries);
  return Math.round(base * (0.5 + Math.random()));
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Where the file's content departs from the shape we write, or undefined. Checked on every read, so a hand edit
 * gone wrong is reported with its place instead of crashing a command or being overwritten. */
export function shapeProblem(data: unknown): string | undefined {
  if (!isJsonObject(data)) return 'the top level is not an object';
  if (data.profiles === undefined) return undefined;
  if (!isJsonObject(data.profiles)) return '"profiles" is not an object';
  for (const [name, profile] of Object.entries(data.profiles)) {
    if (!isJsonObject(profile)) return `profile "${name}" is not an object`;
    for (const key of ['apiKey', 'baseUrl', 'maxRetryWait'] as const) {
      if (profile[key] !== undefined && typeof profile[key] !== 'string')
        return `profiles.${name}.${key} is not a string`;
    }
    if (profile.managed !== undefined) {
      if (!isJsonObject(profile.managed)) return `profiles.${name}.managed is not an object`;
      for (const [key, entry] of Object.entries(profile.managed)) {
        if (!isJsonObject(entry)) return `profiles.${name}.managed.${key} is not an object`;
      }
    }
    if (profile.secrets === undefined) continue;
    if (!isJsonObject(profile.secrets)) return `profiles.${name}.secrets is not an object`;
    for (const [uid, entry] of Object.entries(profile.secrets)) {
      if (!isJsonObject(entry) || typeof entry.secret !== 'string')
        return `profiles.${name}.secrets.${uid} has no "secret" string`;
    }
  }
  return undefined;
}

/** Cannot be read (a permission, a FIFO, a link): said as that, not as a file that "is not valid". */
function unreadable(path: string, cause: unknown): ConfigError {
  return new ConfigError(`cannot read the config file ${path}: ${openFailure(cause, path)}`, {
    code: cause instanceof NotRegularFileError ? 'not_regular' : 'unreadable',
    path,
    cause,
  });
}

let uid: number | undefined;
/** Our uid; -1 where there is none (Windows) or it cannot be told (no passwd entry): then nothing is judged. */
function myUid(): number {
  if (uid === undefined) {
    try {
      uid = userInfo().uid;
    } catch {
      uid = -1;
    }
  }
  return uid;
}

/**
 * Why the config file or its folder must not be trusted, as ssh judges its own files: writable by every user, or
 * owned by a user who is neither us nor root. Undefined when it may be used (or does not exist, or on Windows).
 */
function untrusted(path: string, stats: Stats | undefined, what: 'file' | 'folder'): ConfigError | undefined {
  const me = myUid();
  if (stats === undefined || me < 0) return undefined;
  let why: string | undefined;
  if ((stats.mode & 0o002) !== 0) why = `is writable by every user (mode ${(stats.mode & 0o777).toString(8)})`;
  else if (stats.uid !== me && stats.uid !== 0) why = `belongs to another user (uid ${stats.uid})`;
  if (why === undefined) return undefined;
  return new ConfigError(`refusing to use the config ${what} ${path}: it ${why}, so another user could change it`, {
    code: what === 'folder' ? 'untrusted_folder' : 'untrusted_file',
    path,
  });
}

function corrupted(path: string, cause?: unknown): ConfigError {
  const detail = cause instanceof Error ? `: ${cause.message.split('\n')[0]}` : '';
  return new ConfigError(`the config file ${path} is not valid${detail}`, {
    code: 'invalid',
    path,
    cause,
  });
}

export async function openConfig(options: {
  cwd: string;
  lockTimeoutMs?: number;
  lockStaleMs?: number;
}): Promise<ConfigStore> {
  const store = new ConfigStore(configFilePath(options.cwd), {
    module: await import('./lock.js'),
    timeoutMs: options.lockTimeoutMs,
    staleMs: options.lockStaleMs,
  });
  store.read(); // a broken file is reported when it is opened, before any command acts on it
  return store;
}
