// The config writes of temporary subscriptions happen in several processes at once (two listens, a cleanup): each
// read-modify-write of the file is done under an inter-process lock on the config file, re-reading inside it, so
// no process loses another's secret.
import { dirname } from 'node:path';
import type { ConfigStore } from '../../store/config.js';
import type { SecretBook } from './temporary.js';

const STALE_MS = 10_000;
const WAIT_MS = 10_000;

/**
 * The lock is proper-lockfile's convention — a `<file>.lock` directory, stale once its mtime is 10 s old — taken
 * with mkdir directly: proper-lockfile itself installs signal-exit, whose "am I the last SIGINT listener" check
 * kills listen with the signal in the middle of its own Ctrl-C cleanup.
 */
async function withLock<T>(file: string, fn: () => T): Promise<T> {
  const { mkdir, rmdir, stat } = await import('node:fs/promises');
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const lockDir = `${file}.lock`;
  const deadline = Date.now() + WAIT_MS;
  for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
    try {
      await mkdir(lockDir);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const info = await stat(lockDir).catch(() => undefined);
      // A holder that died (kill -9) leaves its lock: taken over once stale.
      if (info && Date.now() - info.mtimeMs > STALE_MS) await rmdir(lockDir).catch(() => undefined);
      else if (Date.now() > deadline)
        throw new Error(`the config file is locked by another process (${lockDir})`, { cause: error });
      else await new Promise((r) => setTimeout(r, delay));
    }
  }
  try {
    return fn();
  } finally {
    await rmdir(lockDir).catch(() => undefined);
  }
}

/** The config's secrets, every change made under the lock (ConfigStore re-reads the file on each access). */
export function lockedSecretBook(config: ConfigStore): SecretBook {
  return {
    secrets: (profile) => config.secrets(profile),
    saveSecret: (profile, uid, data) => withLock(config.path, () => config.saveSecret(profile, uid, data)),
    removeSecret: (profile, uid) => withLock(config.path, () => config.removeSecret(profile, uid)),
  };
}
