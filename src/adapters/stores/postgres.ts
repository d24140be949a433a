// `pictify-hooks/postgres`: claims in one PostgreSQL table, shared by every instance on the database. A claim is one
// INSERT … ON CONFLICT, in a transaction, over all of a delivery's keys (and every key of a lease among them that
// ran out) that takes a row only where none is live; complete and release only touch rows that still hold the
// caller's token. Completed rows are reaped after their retention, lease rows a retention after their lease (and
// by `reap()`).
// Handlers get `ctx.transaction`: writes through it commit together with the mark that the delivery is done.
//   await migrate(pool);                        // once, at deploy (or run MIGRATION_SQL yourself)
//   const dedupe = postgresDedupe(pool);
import {
  durationOr,
  newToken,
  retentionOf,
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
/** division_by_zero: how the claim statement undoes itself when it lost a race (see CLAIM). */
const LOST_RACE = '22012';
/** undefined_table: migrate() was not run (or ran against another database or schema). */
const UNDEFINED_TABLE = '42P01';

/** The store's table is not there: the first claim says so, with what to run, instead of PostgreSQL's bare error. */
export class MissingTableError extends Error {
  readonly code = 'PICTIFY_TABLE_MISSING';
  constructor(
    readonly table: string,
    options: { cause: unknown },
  ) {
    super(
      `pictify-hooks: postgresDedupe's table ${table} does not exist in this database: run \`await migrate(pool)\` ` +
        `once before serving (or the SQL of migrationSql(), shown in docs/production.md)`,
      options,
    );
    this.name = 'MissingTableError';
  }
}

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
 * The table (and its indexes). `token` is the claimant's while `completed` is false (the rows of one lease share
 * it, found by its index); `expires_at` is the end of the lease, then of the retention.
 */
export function migrationSql(table?: string): string {
  const name = tableName(table);
  const stem = (table ?? DEFAULT_TABLE).replace('.', '_');
  const index = `"${stem}_expires_at"`;
  return `CREATE TABLE IF NOT EXISTS ${name} (
  key text PRIMARY KEY,
  token text NOT NULL,
  completed boolean NOT NULL DEFAULT false,
  expires_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS ${index} ON ${name} (expires_at);
CREATE INDEX IF NOT EXISTS "${stem}_token" ON ${name} (token);`;
}

/** The SQL of migrationSql() for the default table, as the docs print it. */
export const MIGRATION_SQL = migrationSql();

/** Creates the table and its indexes where missing. Run it at every deploy (it is idempotent). */
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

  // The keys, and through every lease among them that ran out all of that lease's rows: a claim takes over the whole
  // of a dead claimant's lease, so what it completes covers every key the dead one held. A lease is its token (its
  // rows share it, and a takeover gives them all the new one), so one step reaches every key of it, those of the
  // leases it took over in turn included. Lease rows are kept past their lease (the reaper waits a retention).
  const CLOSURE = `WITH wanted(key) AS (
  SELECT unnest($1::text[])
  UNION
  SELECT key FROM ${t} WHERE token IN (
    SELECT token FROM ${t} WHERE key = ANY($1::text[]) AND NOT completed AND expires_at <= now()
  )
), wanted_keys AS (
  SELECT array_agg(key) AS keys FROM wanted
)`;
  // Take every wanted key, or learn that one is live. Rows are taken in key order, so two claimants of overlapping
  // key sets queue on the same first row instead of deadlocking. A row another claimant took since this
  // statement's snapshot is not taken; then the statement fails on purpose (a division by zero, LOST_RACE), and
  // PostgreSQL undoes all of it, rows of a ran-out lease it had taken over included: all or nothing, in one round
  // trip, without a transaction around it.
  const CLAIM = `${CLOSURE}, live AS (
  SELECT completed FROM ${t} WHERE key = ANY((SELECT keys FROM wanted_keys)::text[]) AND expires_at > now()
), taken AS (
  INSERT INTO ${t} (key, token, completed, expires_at)
  SELECT key, $2, false, now() + $3 * interval '1 millisecond' FROM wanted
  WHERE NOT EXISTS (SELECT 1 FROM live)
  ORDER BY key
  ON CONFLICT (key) DO UPDATE SET token = excluded.token, completed = false, expires_at = excluded.expires_at
    WHERE ${t}.expires_at <= now()
  RETURNING key
), outcome AS (
  SELECT (SELECT count(*) FROM wanted)::int AS wanted, (SELECT count(*) FROM taken)::int AS taken,
    coalesce((SELECT bool_or(completed) FROM live), false) AS done
)
SELECT wanted, taken, done FROM outcome
WHERE CASE WHEN taken > 0 AND taken < wanted THEN 1 / (taken - taken) ELSE 0 END = 0`;
  // This token's lease, every lease that ran out among the keys (nobody else holds it), and the free keys are
  // completed; a lease another claimant holds is left alone. `marked`: how many of the given keys were.
  const COMPLETE = `WITH covered(key) AS (
  SELECT unnest($1::text[])
  UNION
  SELECT key FROM ${t} WHERE token IN (
    SELECT token FROM ${t}
    WHERE key = ANY($1::text[]) AND NOT completed AND (token = $2 OR expires_at <= now())
  )
), marked AS (
  INSERT INTO ${t} (key, token, completed, expires_at)
  SELECT key, $2, true, now() + $3 * interval '1 millisecond' FROM covered ORDER BY key
  ON CONFLICT (key) DO UPDATE SET completed = true, expires_at = excluded.expires_at
    WHERE ${t}.token = excluded.token OR ${t}.expires_at <= now()
  RETURNING key
)
SELECT (count(*) FILTER (WHERE key = ANY($1::text[])))::int AS marked FROM marked`;
  // Rows are locked in key order, as a claim taking over this lease locks them: the two never deadlock.
  const RELEASE = `DELETE FROM ${t} WHERE key IN (
  SELECT key FROM ${t} WHERE token = $1 AND NOT completed ORDER BY key FOR UPDATE
)`;
  // A lease is its token: every row still holding it (not completed, not taken over) gets the new end. Rows are
  // locked in key order, as a claim taking the lease over locks them, so the two never deadlock.
  const RENEW = `UPDATE ${t} SET expires_at = now() + $2 * interval '1 millisecond'
WHERE token = $1 AND NOT completed AND key IN (
  SELECT key FROM ${t} WHERE token = $1 AND NOT completed ORDER BY key FOR UPDATE
)`;
  // A completed row goes when its retention ends; a lease row a retention after its lease (a takeover needs it).
  // Rows a claim has locked are skipped (the next reap takes them): the reaper never waits, so never deadlocks.
  const REAP = `DELETE FROM ${t} WHERE key IN (
  SELECT key FROM ${t}
  WHERE (completed AND expires_at <= now()) OR expires_at <= now() - $1 * interval '1 millisecond'
  LIMIT 10000 FOR UPDATE SKIP LOCKED
)`;

  const sorted = (keys: readonly string[]) => [...keys].sort();

  async function reap(): Promise<number> {
    lastReap = Date.now();
    return (await pool.query(REAP, [retentionOf(store)])).rowCount ?? 0;
  }

  /** Runs `work` in a transaction on one client; commits if it says so, else (or when it throws) rolls back. */
  async function transaction<T>(work: (client: PgClient) => Promise<{ commit: boolean; value: T }>): Promise<T> {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      try {
        const { commit, value } = await work(client);
        await client.query(commit ? 'COMMIT' : 'ROLLBACK');
        return value;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollback: Error) => (broken = rollback));
        throw error;
      }
    } finally {
      // A client whose rollback failed is in an unknown state: the pool drops it instead of reusing it.
      client.release(broken);
    }
  }

  const store: PostgresDedupeStore = {
    leaseMs: options.leaseMs,
    retentionMs: options.retentionMs,
    timeoutMs: options.timeoutMs,
    async claim(keys, leaseMs): Promise<ClaimResult> {
      if (Date.now() - lastReap >= reapEvery) {
        // Not awaited: the claim does not wait for housekeeping, and a failed reap is retried next interval.
        reap().catch(() => undefined);
      }
      const token = newToken();
      try {
        const { rows } = await pool.query(CLAIM, [sorted(keys), token, durationOr(leaseMs, 1)]);
        const row = rows[0] as { wanted: number; taken: number; done: boolean };
        return row.taken === row.wanted ? { status: 'new', token } : { status: row.done ? 'duplicate' : 'in_flight' };
      } catch (error) {
        // Some keys were free, one was not (a copy claimed it between the snapshot and the insert): nothing was
        // taken, and the copy holding it decides.
        const code = (error as { code?: unknown })?.code;
        if (code === LOST_RACE) return { status: 'in_flight' };
        if (code === UNDEFINED_TABLE) throw new MissingTableError(options.table ?? DEFAULT_TABLE, { cause: error });
        throw error;
      }
    },
    async complete(keys, token, retentionMs) {
      await pool.query(COMPLETE, [sorted(keys), token, durationOr(retentionMs, 1)]);
    },
    async release(keys, token) {
      await pool.query(RELEASE, [token]);
    },
    async renew(keys, token, leaseMs) {
      return ((await pool.query(RENEW, [token, durationOr(leaseMs, 1)])).rowCount ?? 0) > 0;
    },
    async completeWithin(keys, token, retentionMs, work) {
      const list = sorted(keys);
      await transaction(async (client) => {
        await work(client);
        const { rows } = await client.query(COMPLETE, [list, token, durationOr(retentionMs, 1)]);
        if ((rows[0] as { marked: number }).marked < list.length) throw new ClaimLostError(list);
        return { commit: true, value: undefined };
      });
    },
    reap,
  };
  return store;
}
