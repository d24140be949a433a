// Item 7 of issue 23: a worker killed (kill -9) in the middle of its handlers. BullMQ hands its jobs to another
// worker (at least once: nothing is lost); with postgresDedupe the rows written through ctx.transaction commit with
// the completed mark, so they exist exactly once per delivery, while rows written outside it exist at least once.
import { afterAll, expect, it } from 'vitest';
import { bullmqEnqueue } from '../../src/adapters/bullmq.js';
import { buildSampleEvent } from '../../src/events/index.js';
import { queueCluster } from '../helpers/queue-cluster.js';
import { describeWith } from '../helpers/services.js';

const DELIVERIES = 600;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describeWith(
  ['redis', 'postgres'],
  'pictifyWorker killed mid-handler, postgresDedupe',
  () => {
    let cluster: Awaited<ReturnType<typeof queueCluster>> | undefined;
    afterAll(async () => cluster?.cleanup());

    it(
      'ctx.transaction rows: exactly one per delivery; rows outside it: at least one',
      { timeout: 90_000 },
      async () => {
        cluster = await queueCluster('postgres', 'whsec_unused');
        const workerEnv = {
          LEASE_MS: '2000',
          LOCK_MS: '2000',
          STALLED_MS: '1000',
          CONCURRENCY: '8',
          RECORD: 'both',
          SLOW_MS: '60',
        };
        const enqueue = bullmqEnqueue(cluster.queue, {
          jobOptions: { attempts: 10, backoff: { type: 'fixed', delay: 200 } },
        });
        for (let i = 0; i < DELIVERIES; i++) {
          const event = buildSampleEvent('render.completed', { deliveryId: `del_${i}` });
          await enqueue({
            event,
            deliveryId: `del_${i}`,
            keys: [`v1:${i.toString(16).padStart(64, '0')}`, `id:del_${i}`],
            timestamp: 0,
            secretIndex: 0,
          });
        }
        // The workers start on a full queue, so the victim is busy when it dies: on a quiet machine workers started
        // first drained the queue as fast as it was filled, and the kill found an idle victim (nothing ran twice).
        const victim = await cluster.start('worker.mjs', workerEnv);
        await cluster.start('worker.mjs', workerEnv);
        // Kill once the victim is busy: it has written rows, and holds 8 handlers between their writes and the mark.
        for (let t = 0; t < 200; t++) {
          const { rows } = await cluster.pool.query('SELECT count(*)::int AS n FROM runs_outside WHERE pid = $1', [
            victim.child.pid,
          ]);
          if (rows[0].n >= 40) break;
          await sleep(50);
        }
        victim.child.kill('SIGKILL');
        await cluster.start('worker.mjs', workerEnv); // a replacement, as an orchestrator would start

        const deadline = Date.now() + 70_000;
        let counts = await cluster.counts();
        while (Date.now() < deadline && (counts.inside_distinct < DELIVERIES || (await cluster.pending()) > 0)) {
          await sleep(250);
          counts = await cluster.counts();
        }
        await sleep(2_500); // a stalled job that would run a second time has had its chance
        counts = await cluster.counts();
        const failed = await cluster.queue.getJobCountByTypes('failed');
        console.log(
          `worker kill (${DELIVERIES} deliveries): inside ctx.transaction ${counts.inside_rows} rows for ` +
            `${counts.inside_distinct} deliveries (${counts.inside_twice} twice); outside ${counts.outside_rows} rows for ` +
            `${counts.outside_distinct} deliveries (${counts.outside_twice} more than once); failed jobs ${failed}`,
        );
        expect(failed).toBe(0);
        expect(counts.inside_distinct).toBe(DELIVERIES);
        expect(counts.inside_rows).toBe(DELIVERIES);
        expect(counts.inside_twice).toBe(0);
        expect(counts.outside_distinct).toBe(DELIVERIES);
        // The kill landed between writes and marks: some outside rows were written twice, which is why the
        // transaction exists. (Were this 0, the test would not have exercised the case.)
        expect(counts.outside_twice).toBeGreaterThan(0);
      },
    );
  },
  import.meta.url,
);
