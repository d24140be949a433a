// A claim that takes over an expired lease takes over all of it. The sequence that processed a delivery twice at
// scale: receiver R1 claims (v1a, id) and is killed before it queues; the lease runs out; a re-signed retry
// (v1b, id) claims and completes; then the original bytes replayed under a new id (v1a, id') must be a duplicate,
// not a second run. The same cases for every store, against real servers (Redis and PostgreSQL on 127.0.0.1).
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ClaimResult, DedupeStore } from '../../../src/adapters/claim.js';
import { claimFor } from '../../../src/adapters/core.js';
import { memoryDedupe } from '../../../src/adapters/stores/memory.js';
import { migrate, postgresDedupe } from '../../../src/adapters/stores/postgres.js';
import { redisDedupe } from '../../../src/adapters/stores/redis.js';
import { describeWith, postgresForTest, redisForTest, type Service } from '../../helpers/services.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const LONG = 60_000;
const SHORT = 150;

const stores: Array<[string, Service[], () => Promise<{ store: DedupeStore; cleanup(): Promise<void> }>]> = [
  ['memoryDedupe', [], async () => ({ store: memoryDedupe(), cleanup: async () => {} })],
  [
    'redisDedupe',
    ['redis'],
    async () => {
      const r = redisForTest('takeover');
      return { store: redisDedupe(r.redis, { prefix: r.prefix }), cleanup: r.cleanup };
    },
  ],
  [
    'postgresDedupe',
    ['postgres'],
    async () => {
      const p = await postgresForTest('takeover');
      await migrate(p.pool);
      return { store: postgresDedupe(p.pool), cleanup: p.cleanup };
    },
  ],
];

const tokenOf = (result: ClaimResult): string => {
  expect(result.status).toBe('new');
  return (result as { token: string }).token;
};

for (const [name, services, make] of stores) {
  describeWith(
    services,
    `${name}: taking over an expired lease`,
    () => {
      let s: { store: DedupeStore; cleanup(): Promise<void> };
      beforeAll(async () => {
        s = await make();
      });
      afterAll(async () => s?.cleanup());
      const key = (k: string) => `${name}-${k}-${Math.random().toString(36).slice(2)}`;

      it('killed claimant, re-signed retry completes, original bytes under a new id: duplicate', async () => {
        const [v1a, v1b, id, id2] = [key('v1a'), key('v1b'), key('id'), key('id2')];
        tokenOf(await s.store.claim([v1a, id], SHORT)); // R1, killed before its queue add
        await sleep(3 * SHORT);
        const retry = tokenOf(await s.store.claim([v1b, id], LONG));
        await s.store.complete([v1b, id], retry, LONG);
        expect((await s.store.claim([v1a, id2], LONG)).status).toBe('duplicate');
        expect((await s.store.claim([v1b, key('id3')], LONG)).status).toBe('duplicate');
      });

      it('the takeover is transitive, and releasing the merged lease frees every key of it', async () => {
        const [a, b, c, idA, idB, idC] = [key('a'), key('b'), key('c'), key('idA'), key('idB'), key('idC')];
        tokenOf(await s.store.claim([a, idA], SHORT)); // killed
        await sleep(3 * SHORT);
        tokenOf(await s.store.claim([b, idA], SHORT)); // adopts a; killed too
        await sleep(3 * SHORT);
        const last = tokenOf(await s.store.claim([c, b], LONG)); // adopts b, hence idA and a
        expect((await s.store.claim([a, key('x')], LONG)).status).toBe('in_flight');
        expect((await s.store.claim([idA], LONG)).status).toBe('in_flight');
        expect((await s.store.claim([b, key('y')], LONG)).status).toBe('in_flight');
        await s.store.release([c, b], last);
        const again = tokenOf(await s.store.claim([a, idB], LONG));
        expect((await s.store.claim([idA, idC], LONG)).status).toBe('new');
        await s.store.complete([a, idB], again, LONG);
        expect((await s.store.claim([a], LONG)).status).toBe('duplicate');
      });

      // The cause of a delivery processed twice at scale on a loaded machine: a run that outlived its lease was taken
      // over by the next copy (a BullMQ job run again after a missed lock renewal), which ran the handler again.
      it('a claim whose copy is still running stays held past its lease; a lost one stops being renewed', async () => {
        const store: DedupeStore = { ...s.store, leaseMs: SHORT };
        const keys = [key('v1'), key('id')];
        const first = await claimFor(store, keys, 'del_slow');
        if (typeof first === 'string') throw new Error(`first claim: ${first}`);
        await sleep(5 * SHORT); // the handler is still running, five leases on
        expect(await claimFor(store, [keys[0]!, key('id2')], 'del_copy')).toBe('in_flight');
        await first.done(async (error) => {
          throw error;
        });
        expect(await claimFor(store, keys, 'del_late')).toBe('duplicate');
        const released = [key('v1'), key('id')];
        const token = tokenOf(await s.store.claim(released, LONG));
        expect(await s.store.renew!(released, token, LONG)).toBe(true);
        await s.store.release(released, token);
        expect(await s.store.renew!(released, token, LONG)).toBe(false);
      });
    },
    import.meta.url,
  );
}

describeWith(
  ['redis'],
  'redisDedupe: a key leased before leases were kept (its value a bare token)',
  () => {
    let r: ReturnType<typeof redisForTest>;
    beforeAll(() => {
      r = redisForTest('legacy');
    });
    afterAll(async () => r?.cleanup());

    it('is a live lease: in flight, its holder completes it, then it is a duplicate', async () => {
      const store = redisDedupe(r.redis, { prefix: r.prefix });
      await r.redis.set(`${r.prefix}v1:legacy`, 'b0a3a1c2-0000-4000-8000-000000000000', 'PX', LONG);
      expect((await store.claim(['v1:legacy', 'id:new'], LONG)).status).toBe('in_flight');
      await store.complete(['v1:legacy'], 'b0a3a1c2-0000-4000-8000-000000000000', LONG);
      expect(await r.redis.get(`${r.prefix}v1:legacy`)).toBe('done');
      expect((await store.claim(['v1:legacy', 'id:new'], LONG)).status).toBe('duplicate');
    });
  },
  import.meta.url,
);
