// redisDedupe sends the operations asked for in one turn of the event loop as one script call (a real Redis on
// 127.0.0.1). The batch must not change any answer: the claims of one delivery still race in order (one new, the
// rest in flight), a completion in the same call is seen by a later claim, and one operation that fails rejects
// alone.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { redisDedupe, type RedisScriptClient } from '../../src/adapters/stores/redis.js';
import type { ClaimResult } from '../../src/adapters/claim.js';
import { describeWith, redisForTest } from '../helpers/services.js';

/** The token of a claim that must have been new. */
function tokenOf(result: ClaimResult): string {
  if (result.status !== 'new') throw new Error(`expected a new claim, got ${result.status}`);
  return result.token;
}

describeWith(
  ['redis'],
  'redisDedupe batches',
  () => {
    let r: ReturnType<typeof redisForTest>;
    let calls: number[];
    let client: RedisScriptClient;
    beforeAll(async () => {
      r = redisForTest('batch');
      // The server learns the scripts (EVALSHA, then EVAL once) before anything is counted.
      const warm = redisDedupe(r.redis, { prefix: r.prefix });
      await warm.claim(['warm:1'], 1000);
      await Promise.all([warm.claim(['warm:2'], 1000), warm.claim(['warm:3'], 1000)]);
      calls = [];
      // The client as the store sees it, counting script calls and the keys each carried.
      client = {
        evalsha: (sha, numKeys, ...args) => (calls.push(numKeys), r.redis.evalsha(sha, numKeys, ...args)),
        eval: (text, numKeys, ...args) => (calls.push(numKeys), r.redis.eval(text, numKeys, ...args)),
      };
    });
    afterAll(() => r.cleanup());

    it('claims of one delivery in one turn: one script call, one new and the rest in flight', async () => {
      const store = redisDedupe(client, { prefix: r.prefix });
      calls.length = 0;
      const results = await Promise.all(Array.from({ length: 10 }, () => store.claim(['id:a', 'v1:a'], 30_000)));
      expect(results.map((x) => x.status)).toEqual(['new', ...Array(9).fill('in_flight')]);
      expect(calls).toEqual([20]);
      // Deliveries of one turn each get their own answer.
      calls.length = 0;
      const many = await Promise.all(Array.from({ length: 50 }, (_, i) => store.claim([`id:m${i}`], 30_000)));
      expect(many.every((x) => x.status === 'new')).toBe(true);
      expect(calls).toEqual([50]);
    });

    it('a completion and a claim in the same call: the claim sees the completion', async () => {
      const store = redisDedupe(client, { prefix: r.prefix });
      const first = await store.claim(['id:b'], 30_000);
      const [, again] = await Promise.all([
        store.complete(['id:b'], tokenOf(first), 60_000),
        store.claim(['id:b'], 30_000),
      ]);
      expect(again.status).toBe('duplicate');
      const [, retry] = await Promise.all([
        store.release(['id:c'], tokenOf(await store.claim(['id:c'], 30_000))),
        store.claim(['id:c'], 30_000),
      ]);
      expect(retry.status).toBe('new');
    });

    it('an operation that fails in a batch rejects alone; the others are answered', async () => {
      const store = redisDedupe(client, { prefix: r.prefix });
      // A value that looks like a lease but is not one: the claim that reads it fails inside the script.
      await r.redis.set(`${r.prefix}id:broken`, '{not json');
      calls.length = 0;
      const [broken, fine] = await Promise.allSettled([
        store.claim(['id:broken'], 30_000),
        store.claim(['id:fine'], 30_000),
      ]);
      expect(calls).toHaveLength(1);
      expect(broken.status).toBe('rejected');
      expect(String((broken as PromiseRejectedResult).reason)).toMatch(/redisDedupe claim: .*/);
      expect(fine).toMatchObject({ status: 'fulfilled', value: { status: 'new' } });
    });

    it('more than a batch holds: every operation is answered, in calls of at most 128', async () => {
      const store = redisDedupe(client, { prefix: r.prefix });
      calls.length = 0;
      const results = await Promise.all(Array.from({ length: 300 }, (_, i) => store.claim([`id:big${i}`], 30_000)));
      expect(results.filter((x) => x.status === 'new')).toHaveLength(300);
      expect(calls).toEqual([128, 128, 44]);
    });
  },
  import.meta.filename,
);
