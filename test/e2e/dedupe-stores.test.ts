// The claim contract, the same cases for every store, against real servers (Redis and PostgreSQL on 127.0.0.1):
// new → in flight → completed duplicate; all keys or none; release; a lease or a retention that runs out; a token
// that lost its lease cannot complete over the new holder; and claims at the same moment from many processes.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DedupeStore } from '../../src/adapters/claim.js';
import { memoryDedupe } from '../../src/adapters/stores/memory.js';
import { migrate, postgresDedupe, ClaimLostError } from '../../src/adapters/stores/postgres.js';
import { redisDedupe } from '../../src/adapters/stores/redis.js';
import { REPO } from '../docs/run-script.js';
import { describeWith, postgresForTest, redisForTest, type Service } from '../helpers/services.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const LONG = 60_000;

interface StoreUnderTest {
  store: DedupeStore;
  /** A child process's script that builds the same store from the built package (for cross-process claims). */
  childStore?: string;
  cleanup(): Promise<void>;
}

const stores: Array<[string, Service[], () => Promise<StoreUnderTest>]> = [
  ['memoryDedupe', [], async () => ({ store: memoryDedupe(), cleanup: async () => {} })],
  [
    'redisDedupe',
    ['redis'],
    async () => {
      const r = redisForTest('stores');
      return {
        store: redisDedupe(r.redis, { prefix: r.prefix }),
        childStore: `const { Redis } = await import('ioredis');
const { redisDedupe } = await import('pictify-hooks/redis');
const client = new Redis(${JSON.stringify(r.url)});
const store = redisDedupe(client, { prefix: ${JSON.stringify(r.prefix)} });
const close = () => client.quit();`,
        cleanup: r.cleanup,
      };
    },
  ],
  [
    'postgresDedupe',
    ['postgres'],
    async () => {
      const p = await postgresForTest('stores');
      await migrate(p.pool);
      return {
        store: postgresDedupe(p.pool),
        childStore: `const pg = (await import('pg')).default;
const { postgresDedupe } = await import('pictify-hooks/postgres');
const pool = new pg.Pool({ connectionString: ${JSON.stringify(p.url)}, options: '-c search_path=${p.schema}' });
const store = postgresDedupe(pool);
const close = () => pool.end();`,
        cleanup: p.cleanup,
      };
    },
  ],
];

/** Node processes that each claim `keys` at the same moment: each says 'ready', and all are told 'go' at once. */
async function claimsFromProcesses(childStore: string, processes: number, keysOf: (i: number) => string[]) {
  const children = Array.from({ length: processes }, (_, i) => {
    const code = `${childStore}
await store.claim(['warm-up-${i}'], 1000);
process.stdin.once('data', async () => {
  const result = await store.claim(${JSON.stringify(keysOf(i))}, 60000);
  console.log(result.status);
  await close();
  process.exit(0);
});
console.log('ready');`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', code], { cwd: REPO });
    let out = '';
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c));
    const ready = new Promise<void>((resolve) =>
      child.stdout.on('data', (c: Buffer) => {
        out += c;
        if (out.startsWith('ready\n')) resolve();
      }),
    );
    const exited = new Promise<string>((resolve, reject) =>
      child.on('exit', (status) => (status === 0 ? resolve(out.slice(6).trim()) : reject(new Error(err)))),
    );
    return { child, ready, exited };
  });
  await Promise.all(children.map((c) => c.ready));
  for (const { child } of children) child.stdin.write('go\n');
  return Promise.all(children.map((c) => c.exited));
}

for (const [name, services, make] of stores) {
  describeWith(
    services,
    name,
    () => {
      let s: StoreUnderTest;
      beforeAll(async () => {
        s = await make();
      });
      afterAll(async () => s?.cleanup());
      const key = (k: string) => `${name}-${k}-${Math.random().toString(36).slice(2)}`;

      it('new, then in flight while leased, then duplicate once completed', async () => {
        const keys = [key('v1'), key('id')];
        const first = await s.store.claim(keys, LONG);
        expect(first.status).toBe('new');
        expect((await s.store.claim(keys, LONG)).status).toBe('in_flight');
        expect((await s.store.claim([keys[1]!], LONG)).status).toBe('in_flight');
        await s.store.complete(keys, (first as { token: string }).token, LONG);
        expect((await s.store.claim(keys, LONG)).status).toBe('duplicate');
        expect((await s.store.claim([keys[0]!, key('other-id')], LONG)).status).toBe('duplicate');
      });

      it('takes all keys or none: an overlapping claim takes nothing', async () => {
        const [a, b, c] = [key('a'), key('b'), key('c')];
        expect((await s.store.claim([a, b], LONG)).status).toBe('new');
        expect((await s.store.claim([b, c], LONG)).status).toBe('in_flight');
        expect((await s.store.claim([c], LONG)).status).toBe('new');
      });

      it('release frees the keys for the next copy; a wrong token releases nothing', async () => {
        const keys = [key('r')];
        const first = (await s.store.claim(keys, LONG)) as { status: 'new'; token: string };
        await s.store.release(keys, 'not-the-token');
        expect((await s.store.claim(keys, LONG)).status).toBe('in_flight');
        await s.store.release(keys, first.token);
        expect((await s.store.claim(keys, LONG)).status).toBe('new');
      });

      it('a lease that runs out lets the next copy run, and the old holder cannot complete over it', async () => {
        const keys = [key('l1'), key('l2')];
        const dead = (await s.store.claim(keys, 150)) as { status: 'new'; token: string };
        await sleep(300);
        const next = await s.store.claim(keys, LONG);
        expect(next.status).toBe('new');
        await s.store.complete(keys, dead.token, LONG); // the old holder wakes up: must not mark the new one's
        expect((await s.store.claim(keys, LONG)).status).toBe('in_flight');
      });

      it('a completed delivery is forgotten after its retention', async () => {
        const keys = [key('t')];
        const first = (await s.store.claim(keys, LONG)) as { status: 'new'; token: string };
        await s.store.complete(keys, first.token, 150);
        expect((await s.store.claim(keys, LONG)).status).toBe('duplicate');
        await sleep(300);
        expect((await s.store.claim(keys, LONG)).status).toBe('new');
      });

      it('50 concurrent claims of one delivery (the same v1 under 50 delivery ids): exactly one is new', async () => {
        const v1 = key('v1');
        const results = await Promise.all(
          Array.from({ length: 50 }, (_, i) => s.store.claim([v1, `id:${v1}-${i}`], LONG)),
        );
        expect(results.filter((r) => r.status === 'new')).toHaveLength(1);
        expect(results.filter((r) => r.status === 'in_flight')).toHaveLength(49);
      });

      if (services.length > 0) {
        it('8 processes claiming at the same moment: exactly one is new', { timeout: 30_000 }, async () => {
          const v1 = key('proc');
          const statuses = await claimsFromProcesses(s.childStore!, 8, (i) => [v1, `id:${v1}-${i}`]);
          expect(statuses.sort()).toEqual([
            'in_flight',
            'in_flight',
            'in_flight',
            'in_flight',
            'in_flight',
            'in_flight',
            'in_flight',
            'new',
          ]);
        });
      }
    },
    import.meta.url,
  );
}

describeWith(
  ['postgres'],
  'postgresDedupe: the table, reaping and completeWithin',
  () => {
    let p: Awaited<ReturnType<typeof postgresForTest>>;
    beforeAll(async () => {
      p = await postgresForTest('pgextra');
      await migrate(p.pool);
      await migrate(p.pool); // idempotent
      await p.pool.query('CREATE TABLE outcome (key text)');
    });
    afterAll(async () => p?.cleanup());

    it('reap() deletes completed rows past their retention, lease rows a retention past their lease', async () => {
      const store = postgresDedupe(p.pool, { retentionMs: 1000 });
      const done = (await store.claim(['reap-done'], LONG)) as { token: string };
      await store.complete(['reap-done'], done.token, 50);
      await store.claim(['reap-old-lease'], 50);
      await store.claim(['reap-long'], LONG);
      await sleep(600);
      await store.claim(['reap-recent-lease'], 50);
      expect(await store.reap()).toBe(1); // reap-done; both ran-out leases are kept for a takeover
      await sleep(600);
      expect(await store.reap()).toBe(1); // reap-old-lease, 1,150 ms past its lease; reap-recent-lease about 550 ms
      const { rows } = await p.pool.query('SELECT key FROM pictify_deliveries WHERE key LIKE $1 ORDER BY key', [
        'reap-%',
      ]);
      expect(rows.map((r) => r.key)).toEqual(['reap-long', 'reap-recent-lease']);
    });

    it('completeWithin commits the work with the mark, or neither', async () => {
      const store = postgresDedupe(p.pool);
      const ok = (await store.claim(['tx-ok'], LONG)) as { token: string };
      await store.completeWithin(['tx-ok'], ok.token, LONG, async (tx) => {
        await tx.query("INSERT INTO outcome VALUES ('tx-ok')");
      });
      const failing = (await store.claim(['tx-fail'], LONG)) as { token: string };
      await expect(
        store.completeWithin(['tx-fail'], failing.token, LONG, async (tx) => {
          await tx.query("INSERT INTO outcome VALUES ('tx-fail')");
          throw new Error('handler failed after writing');
        }),
      ).rejects.toThrow('handler failed');
      const { rows } = await p.pool.query('SELECT key FROM outcome ORDER BY key');
      expect(rows.map((r) => r.key)).toEqual(['tx-ok']);
      expect((await store.claim(['tx-ok'], LONG)).status).toBe('duplicate');
      expect((await store.claim(['tx-fail'], LONG)).status).toBe('in_flight'); // still leased: release is the caller's
    });

    it('a holder whose lease ran out and was taken over commits nothing (ClaimLostError)', async () => {
      const store = postgresDedupe(p.pool);
      const slow = (await store.claim(['tx-slow'], 100)) as { token: string };
      await sleep(200);
      expect((await store.claim(['tx-slow'], LONG)).status).toBe('new');
      await expect(
        store.completeWithin(['tx-slow'], slow.token, LONG, async (tx) => {
          await tx.query("INSERT INTO outcome VALUES ('tx-slow')");
        }),
      ).rejects.toBeInstanceOf(ClaimLostError);
      expect((await p.pool.query("SELECT 1 FROM outcome WHERE key = 'tx-slow'")).rowCount).toBe(0);
    });
  },
  import.meta.url,
);
