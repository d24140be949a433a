// A job BullMQ runs again while its first run is still going, past the worker's lease: what a loaded machine does
// when a worker misses a lock renewal (the job is "stalled" and handed to another worker). Before leases were
// renewed while the handler ran, the second run took the expired lease over and ran the handler too (on
// PostgreSQL the overtaken first run then failed with ClaimLostError and was retried, running it again): the
// mechanism behind the delivery an earlier scale test processed twice on PostgreSQL under load. Now the second run
// is told "in flight", retried, and then finds the delivery completed. Both stores, on real Redis and PostgreSQL.
import { Queue, type Worker } from 'bullmq';
import { afterAll, expect, it } from 'vitest';
import { bullmqEnqueue, pictifyWorker, type PictifyJobData } from '../../src/adapters/bullmq.js';
import type { DedupeStore } from '../../src/adapters/claim.js';
import { migrate, postgresDedupe } from '../../src/adapters/stores/postgres.js';
import { redisDedupe } from '../../src/adapters/stores/redis.js';
import { buildSampleEvent } from '../../src/events/index.js';
import { describeWith, postgresForTest, redisForTest, uniqueName } from '../helpers/services.js';

const LEASE_MS = 600;
const HANDLER_MS = 3_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describeWith(
  ['redis', 'postgres'],
  'pictifyWorker: a job run again while its first run outlives the lease',
  () => {
    const closers: Array<() => Promise<unknown>> = [];
    afterAll(async () => {
      for (const close of closers.reverse()) await close();
    });

    it.each(['redis', 'postgres'] as const)('%sDedupe: the handler runs once', async (name) => {
      const r = redisForTest('lease');
      const p = await postgresForTest('lease', 6);
      closers.push(r.cleanup, p.cleanup);
      let store: DedupeStore;
      if (name === 'postgres') {
        await migrate(p.pool);
        store = postgresDedupe(p.pool, { leaseMs: LEASE_MS });
      } else store = redisDedupe(r.redis, { prefix: r.prefix, leaseMs: LEASE_MS });
      const queue = new Queue<PictifyJobData>(uniqueName('lease'), { connection: r.redis, prefix: `${r.prefix}bull` });
      closers.push(() => queue.close());
      const runs: string[] = [];
      const connection = r.redis.duplicate();
      const worker: Worker = pictifyWorker(queue.name, {
        connection,
        prefix: `${r.prefix}bull`,
        dedupe: store,
        concurrency: 4,
        on: {
          '*': async (_event, ctx) => {
            runs.push(ctx.deliveryId ?? '');
            await sleep(HANDLER_MS);
          },
        },
      });
      closers.push(async () => {
        await worker.close();
        connection.disconnect();
      });
      const delivery = {
        event: buildSampleEvent('render.completed', { deliveryId: 'del_slow' }),
        deliveryId: 'del_slow',
        keys: [`v1:${'ab'.repeat(32)}`, 'id:del_slow'],
        timestamp: 0,
        secretIndex: 0,
      };
      const retry = { attempts: 10, backoff: { type: 'fixed', delay: 300 } };
      await bullmqEnqueue(queue, { jobOptions: retry })(delivery);
      // The same delivery a second time, as BullMQ's stalled-job check hands it out: 4 leases into the first run.
      await queue.add('pictify-webhook', delivery, { ...retry, jobId: 'rerun', delay: 4 * LEASE_MS });
      for (let i = 0; i < 100; i++) {
        const counts = await queue.getJobCounts('completed', 'failed');
        if ((counts.completed ?? 0) + (counts.failed ?? 0) >= 2) break;
        await sleep(100);
      }
      const rerun = await queue.getJob('rerun');
      expect(runs).toEqual(['del_slow']);
      expect(rerun?.returnvalue).toBe('duplicate');
      expect(rerun?.attemptsMade).toBeGreaterThan(1); // told "in flight" first, while the first run held it
    });
  },
  import.meta.url,
);
