// The default store: claims in this process's memory. It keeps the claim contract (a copy running or completed here
// is never run twice here), but another instance, or this one after a restart, knows nothing of it: several
// instances need redisDedupe or postgresDedupe.
import {
  DEFAULT_RETENTION_MS,
  durationOr,
  newToken,
  type ClaimResult,
  type DedupeStore,
  type DedupeTimes,
} from '../claim.js';

export interface MemoryDedupeOptions extends DedupeTimes {
  /** At most this many keys are kept (default 100,000, about 40 MB at worst); the oldest claims go first. */
  maxKeys?: number;
  /** Milliseconds since the epoch (tests). */
  now?: () => number;
}

export const DEFAULT_MEMORY_KEYS = 100_000;

/** One claim: every key it holds shares this object, so taking over one key takes over all of them. */
interface Lease {
  token: string;
  expiresAt: number;
  keys: Set<string>;
}

interface Entry {
  /** The claim holding the key; null once completed. */
  lease: Lease | null;
  /** The end of the retention once completed; while leased, the end of the lease (lease.expiresAt). */
  expiresAt: number;
  /** When the entry is forgotten: a lease is kept past its end (a retention) so a takeover still finds its keys. */
  keepUntil: number;
}

export function memoryDedupe(options: MemoryDedupeOptions = {}): DedupeStore {
  const now = options.now ?? Date.now;
  const maxKeys = Math.max(1, Math.floor(options.maxKeys ?? DEFAULT_MEMORY_KEYS));
  const keep = durationOr(options.retentionMs, DEFAULT_RETENTION_MS);
  // Insertion order is claim order: a key is re-inserted whenever it is (re)claimed or completed, so the first
  // entries are the oldest, and eviction and the sweep of forgotten entries both start there.
  const entries = new Map<string, Entry>();

  function kept(key: string, at: number): Entry | undefined {
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.keepUntil > at) return entry;
    entries.delete(key);
    return undefined;
  }

  function put(key: string, entry: Entry): void {
    entries.delete(key);
    entries.set(key, entry);
    const at = now();
    // Over the cap the oldest claims go; below it, only forgotten ones at the front (a lazy, bounded sweep).
    for (const [oldest, value] of entries) {
      if (entries.size <= maxKeys && value.keepUntil > at) break;
      entries.delete(oldest);
    }
  }

  /** The keys a completion or release by `token` covers: the given keys and every key of the leases among them. */
  function covered(keys: readonly string[], at: number, takes: (entry: Entry) => boolean): Set<string> {
    const all = new Set<string>();
    for (const key of keys) {
      const entry = kept(key, at);
      if (entry === undefined) all.add(key);
      else if (takes(entry)) for (const sibling of entry.lease?.keys ?? [key]) all.add(sibling);
    }
    return all;
  }

  return {
    leaseMs: options.leaseMs,
    retentionMs: options.retentionMs,
    timeoutMs: options.timeoutMs,
    claim(keys, leaseMs): ClaimResult {
      const at = now();
      // The keys, and through every expired lease among them, all of that lease's keys (and so on): the retry of
      // a claimant that died takes over everything it held, so what it completes covers the dead one's keys too.
      const wanted = new Set(keys);
      let inFlight = false;
      for (const key of wanted) {
        const entry = kept(key, at);
        if (entry === undefined) continue;
        if (entry.lease === null) {
          if (entry.expiresAt > at) return { status: 'duplicate' };
        } else if (entry.expiresAt > at) inFlight = true;
        else for (const sibling of entry.lease.keys) wanted.add(sibling);
      }
      if (inFlight) return { status: 'in_flight' };
      const token = newToken();
      const lease: Lease = { token, expiresAt: at + durationOr(leaseMs, 1), keys: wanted };
      for (const key of wanted) put(key, { lease, expiresAt: lease.expiresAt, keepUntil: lease.expiresAt + keep });
      return { status: 'new', token };
    },
    complete(keys, token, retentionMs) {
      const at = now();
      const expiresAt = at + durationOr(retentionMs, 1);
      // This token's lease, or one that ran out (nobody else holds it), is completed whole; another's live one is
      // left alone.
      const done = covered(keys, at, (e) => e.lease !== null && (e.lease.token === token || e.expiresAt <= at));
      for (const key of done) {
        const entry = kept(key, at);
        if (entry === undefined || (entry.lease !== null && (entry.lease.token === token || entry.expiresAt <= at))) {
          put(key, { lease: null, expiresAt, keepUntil: expiresAt });
        }
      }
    },
    renew(keys, token, leaseMs) {
      const at = now();
      const lease = keys.map((key) => kept(key, at)?.lease).find((l) => l?.token === token);
      if (lease === undefined || lease === null) return false;
      lease.expiresAt = at + durationOr(leaseMs, 1);
      for (const key of lease.keys) {
        const entry = entries.get(key);
        if (entry?.lease === lease) {
          entry.expiresAt = lease.expiresAt;
          entry.keepUntil = Math.max(entry.keepUntil, lease.expiresAt + keep);
        }
      }
      return true;
    },
    release(keys, token) {
      const at = now();
      for (const key of covered(keys, at, (e) => e.lease?.token === token)) {
        if (entries.get(key)?.lease?.token === token) entries.delete(key);
      }
    },
  };
}
