// `pictify-hooks/postgres`: claims in one PostgreSQL table, shared by every instance on the database. A claim is one
// INSERT … ON CONFLICT over all of a delivery's keys that takes a row only where none is live; complete and release
// only touch rows that still hold the caller's token. Expired rows are reaped now and then (and by `reap()`).
// Handlers get `ctx.transaction`: writes through it commit together with the mark that the delivery is done.
//   await migrate(pool);                        // once, at deploy (or run MIGRATION_SQL yourself)
//   const dedupe = postgresDedupe(pool);
import {
  durationOr,
  newToken,
  type ClaimResult,
  type DedupeStore,
  type DedupeTimes,
  type SqlTransaction,
} from '../claim.js';

/** The part of a `pg` client this store uses. */
export interface PgClient extends SqlTransaction {
  release(error?: Error | boolean): void;
}

/** The part of a `pg` Pool this store uses. */
export interface PgPool extends SqlTransaction {
  connect(): Promise<PgClient>;
}

export interface PostgresDedupeOptions extends DedupeTimes {
  /** The table, optionally schema-qualified (default 'pictify_deliveries'); `migrate` creates it. */
  table?: string;
  /** Expired rows are deleted at most this often, by the claim that finds the interval passed (default 60 s). */
  reapIntervalMs?: number;
}

export const DEFAULT_TABLE = 'pictify_deliveries';

/** Thrown by completeWithin when the lease ran out and another copy claimed the delivery: nothing is committed. */
export class ClaimLostError extends Error {
  readonly code = 'PICTIFY_CLAIM_LOST';
  constructor(readonly keys: readonly string[]) {
    super(`the claim on ${keys.join(', ')} was lost (its lease ran out and another copy took it)`);
    this.name = 'ClaimLostError';
  }
}

function tableName(table: string | undefined): string {
  const name = table ?? DEFAULT_TABLE;
  if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/.test(name)) {
    throw new TypeError(`pictify-hooks: table must be a plain name or schema.name, got ${JSON.stringify(name)}`);
  }
  return name
    .split('.')
    .map((part) => `"${part}"`)
    .join('.');
}

/**
 * The table (and its expiry index). `token` is the claimant's while `completed` is false; `expires_at` is the end
 * of the lease, then of the retention.
 */
export function migrationSql(table?: string): string {
  const name = tableName(table);
  const index = `"${(table ?? DEFAULT_TABLE).replace('.', '_')}_expires_at"`;
  return `CREATE TABLE IF NOT EXISTS ${name} (
  key text PRIMARY KEY,
  token text NOT NULL,
  completed boolean NOT NULL DEFAULT false,
  expires_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS ${index} ON ${name} (expires_at);`;
}

/** The SQL of migrationSql() for the default table, as the docs print it. */
export const MIGRATION_SQL = migrationSql();

/** Creates the table if it is missing. Run it once at deploy (it is idempotent). */
export async function migrate(pool: SqlTransaction, options: { table?: string } = {}): Promise<void> {
  await pool.query(migrationSql(options.table));
}

export interface PostgresDedupeStore extends DedupeStore {
  completeWithin: NonNullable<DedupeStore['completeWithin']>;
  /** Deletes expired rows now; resolves with how many. */
  reap(): Promise<number>;
}

export function postgresDedupe(pool: PgPool, options: PostgresDedupeOptions = {}): PostgresDedupeStore {
  if (typeof pool?.query !== 'function' || typeof pool.connect !== 'function') {
    throw new TypeError('pictify-hooks: postgresDedupe(pool) needs a pg Pool, e.g. new pg.Pool({ connectionString })');
  }
  const t = tableName(options.table);
  const reapEvery = durationOr(options.reapIntervalMs, 60_000);
  let lastReap = Date.now();

  // One statement: take every key, or learn that one is live. Rows are taken in key order, so two claimants of
  // overlapping key sets queue on the same first row instead of deadlocking.
  const CLAIM = `WITH live AS (
  SELECT completed FROM ${t} WHERE key = ANY($1::text[]) AND expires_at > now()
), taken AS (
  INSERT INTO ${t} (key, token, completed, expires_at)
  SELECT k, $2, false, now() + $3 * interval '1 millisecond' FROM unnest($1::text[]) AS k
  WHERE NOT EXISTS (SELECT 1 FROM live)
  ON CONFLICT (key) DO UPDATE SET token = excluded.token, completed = false, expires_at = excluded.expires_at
    WHERE ${t}.expires_at <= now()
  RETURNING key
)
SELECT (SELECT count(*) FROM taken)::int AS taken, coalesce((SELECT bool_or(completed) FROM live), false) AS done`;
  const COMPLETE = `INSERT INTO ${t} (key, token, completed, expires_at)
SELECT k, $2, true, now() + $3 * interval '1 millisecond' FROM unnest($1::text[]) AS k
ON CONFLICT (key) DO UPDATE SET completed = true, expires_at = excluded.expires_at
  WHERE ${t}.token = excluded.token OR ${t}.expires_at <= now()`;
  const RELEASE = `DELETE FROM ${t} WHERE key = ANY($1::text[]) AND token = $2 AND NOT completed`;
  const REAP = `DELETE FROM ${t} WHERE key IN (SELECT key FROM ${t} WHERE expires_at <= now() LIMIT 10000)`;

  const sorted = (keys: readonly string[]) => [...keys].sort();

  async function reap(): Promise<number> {
    lastReap = Date.now();
    return (await pool.query(REAP)).rowCount ?? 0;
  }

  return {
    leaseMs: options.leaseMs,
    retentionMs: options.retentionMs,
    async claim(keys, leaseMs): Promise<ClaimResult> {
      if (Date.now() - lastReap >= reapEvery) {
        // Not awaited: the claim does not wait for housekeeping, and a failed reap is retried next interval.
        reap().catch(() => undefined);
      }
      const token = newToken();
      const list = sorted(keys);
      const { rows } = await pool.query(CLAIM, [list, token, durationOr(leaseMs, 1)]);
      const row = rows[0] as { taken: number; done: boolean };
      if (row.taken === list.length) return { status: 'new', token };
      // Some keys were free, one was not (a copy claimed it between this statement's snapshot and its insert):
      // give back what was taken; the copy holding the rest decides.
      if (row.taken > 0) await pool.query(RELEASE, [list, token]);
      return { status: row.done ? 'duplicate' : 'in_flight' };
    },
    async complete(keys, token, retentionMs) {
      await pool.query(COMPLETE, [sorted(keys), token, durationOr(retentionMs, 1)]);
    },
    async release(keys, token) {
      await pool.query(RELEASE, [sorted(keys), token]);
    },
    async completeWithin(keys, token, retentionMs, work) {
      const list = sorted(keys);
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        try {
          await work(client);
          const marked = await client.query(COMPLETE, [list, token, durationOr(retentionMs, 1)]);
          if ((marked.rowCount ?? 0) < list.length) throw new ClaimLostError(list);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch((rollback: Error) => (broken = rollback));
          throw error;
        }
      } finally {
        // A client whose rollback failed is in an unknown state: the pool drops it instead of reusing it.
        client.release(broken);
      }
    },
    reap,
  };
}
