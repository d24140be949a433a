// The config writes of temporary subscriptions happen in several processes at once (two listens, a cleanup): each
// read-modify-write of the file is done under an inter-process lock (proper-lockfile on the config file, the same
// lock any other writer of it takes), re-reading inside it, so no process loses another's secret.
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ConfigStore } from '../../store/config.js';
import type { SecretBook } from './temporary.js';

async function withLock<T>(file: string, fn: () => T): Promise<T> {
  const { lock } = await import('proper-lockfile');
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const release = await lock(file, {
    realpath: false,
    stale: 10_000,
    retries: { retries: 100, minTimeout: 10, maxTimeout: 100 },
  });
  try {
    return fn();
  } finally {
    await release();
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
