// Redis and PostgreSQL for the suites that test against real servers (127.0.0.1 by default; REDIS_URL and
// DATABASE_URL override). Each test file gets its own key prefix or schema and removes it afterwards.
// When a server does not answer: in CI the suite fails (CI must run it); elsewhere it does not run, writes a marker,
// and test/services-setup.ts names it in the last lines of the run, so nobody mistakes "not run" for "passed".
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { describe, inject } from 'vitest';

export const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
export const DATABASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

export type Service = 'redis' | 'postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Why each service is unavailable, or null when it answered (test/services-setup.ts). */
    services: Record<Service, string | null>;
    servicesMarkers: string;
  }
}

/** describe() for a suite that needs these servers: fails in CI without them, else does not run and says so. */
export function describeWith(services: readonly Service[], name: string, suite: () => void, file: string): void {
  const status = inject('services');
  const missing = services.filter((s) => status[s] !== null);
  if (missing.length === 0 || process.env.CI) {
    describe(name, suite);
    return;
  }
  const dir = inject('servicesMarkers');
  mkdirSync(dir, { recursive: true });
  const why = missing.map((s) => `${s}: ${status[s]}`).join('; ');
  writeFileSync(join(dir, `${basename(file)}-${randomBytes(4).toString('hex')}`), `${basename(file)} — ${why}\n`);
  describe.skip(`${name} (did not run: ${why})`, suite);
}

export const uniqueName = (stem: string) => `${stem}_${process.pid}_${randomBytes(3).toString('hex')}`;

/** An ioredis client, and a prefix for this file's keys that `cleanup` deletes. */
export function redisForTest(stem: string) {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null, lazyConnect: false });
  const prefix = `pictify-test:${uniqueName(stem)}:`;
  return {
    redis,
    prefix,
    url: REDIS_URL,
    async cleanup() {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        if (keys.length > 0) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
      redis.disconnect();
    },
  };
}

/** A pg Pool on a schema of its own (created here, dropped by `cleanup`). */
export async function postgresForTest(stem: string, max = 10) {
  const schema = uniqueName(stem).toLowerCase();
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA "${schema}"`);
  await admin.end();
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max, options: `-c search_path=${schema}` });
  return {
    pool,
    schema,
    url: DATABASE_URL,
    async cleanup() {
      await pool.query(`DROP SCHEMA "${schema}" CASCADE`);
      await pool.end();
    },
  };
}
