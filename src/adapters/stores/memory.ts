// The default store: claims in this process's memory. It keeps the claim contract (a copy running or completed here
// is never run twice here), but another instance, or this one after a restart, knows nothing of it: several
// instances need redisDedupe or postgresDedupe.
import { durationOr, newToken, type ClaimResult, type DedupeStore, type DedupeTimes } from '../claim.js';

export interface MemoryDedupeOptions extends DedupeTimes {
  /** At most this many keys are kept (default 100,000, about 40 MB at worst); the oldest claims go first. */
  maxKeys?: number;
  /** Milliseconds since the epoch (tests). */
  now?: () => number;
}

export const DEFAULT_MEMORY_KEYS = 100_000;

interface Entry {
  /** The claimant's token while leased; null once completed. */
  token: string | null;
  expiresAt: number;
}

export function memoryDedupe(options: MemoryDedupeOptions = {}): DedupeStore {
  const now = options.now ?? Date.now;
  const maxKeys = Math.max(1, Math.floor(options.maxKeys ?? DEFAULT_MEMORY_KEYS));
  // Insertion order is claim order: a key is re-inserted whenever it is (re)claimed or completed, so the first
  // entries are the oldest, and eviction and the sweep of expired entries both start there.
  const entries = new Map<string, Entry>();

  function live(key: string, at: number): Entry | undefined {
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt > at) return entry;
    entries.delete(key);
    return undefined;
  }

  function put(key: string, entry: Entry): void {
    entries.delete(key);
    entries.set(key, entry);
    const at = now();
    // Over the cap the oldest claims go; below it, only expired ones at the front (a lazy, bounded sweep).
    for (const [oldest, value] of entries) {
      if (entries.size <= maxKeys && value.expiresAt > at) break;
      entries.delete(oldest);
    }
  }

  return {
    leaseMs: options.leaseMs,
    retentionMs: options.retentionMs,
    claim(keys, leaseMs): ClaimResult {
      const at = now();
      let inFlight = false;
      for (const key of keys) {
        const entry = live(key, at);
        if (entry?.token === null) return { status: 'duplicate' };
        if (entry !== undefined) inFlight = true;
      }
      if (inFlight) return { status: 'in_flight' };
      const token = newToken();
      const expiresAt = at + durationOr(leaseMs, 1);
      for (const key of keys) put(key, { token, expiresAt });
      return { status: 'new', token };
    },
    complete(keys, token, retentionMs) {
      const at = now();
      for (const key of keys) {
        const entry = live(key, at);
        if (entry === undefined || entry.token === token) {
          put(key, { token: null, expiresAt: at + durationOr(retentionMs, 1) });
        }
      }
    },
    release(keys, token) {
      for (const key of keys) if (entries.get(key)?.token === token) entries.delete(key);
    },
  };
}
