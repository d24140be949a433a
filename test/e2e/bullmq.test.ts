// pictify-hooks/bullmq against a real Redis: a verified, claimed delivery is queued under its delivery key before
// the 200; a failed add answers 503 and releases the claim (the retry is queued); copies under other delivery ids
// queue nothing more; the worker runs the typed handlers with BullMQ's retries, a job whose attempts are spent is in
// the failed set, and job.retry() runs it again.
import { Queue, type Worker } from 'bullmq';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { bullmqEnqueue, jobIdFor, pictifyWorker, type JobQueue } from '../../src/adapters/bullmq.js';
import { redisDedupe } from '../../src/adapters/stores/redis.js';
import { buildSampleEvent } from '../../src/events/index.js';
import { signPayload } from '../../src/signing/index.js';
import { describeWith, redisForTest, uniqueName } from '../helpers/services.js';
import { nodeApp, type RunningApp } from '../unit/adapters/servers.js';

const SECRET = 'whsec_bullmq_test';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function signed(deliveryId: string) {
  const body = JSON.stringify(buildSampleEvent('render.completed', { deliveryId }));
  const signature = signPayload({ payload: body, secret: SECRET, timestamp: Math.floor(Date.now() / 1000) });
  return { body, signature };
}

async function post(url: string, body: string, signature: string, id: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-pictify-signature': signature, 'x-pictify-delivery-id': id },
    body,
  });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.text() };
}

describeWith(
  ['redis'],
  'pictify-hooks/bullmq',
  () => {
    let r: ReturnType<typeof redisForTest>;
    let queue: Queue;
    let app: RunningApp | undefined;
    let worker: Worker | undefined;
    let workerConnection: ReturnType<typeof r.redis.duplicate> | undefined;
    beforeAll(() => {
      r = redisForTest('bullmq');
      queue = new Queue(uniqueName('bullmq-test'), { connection: r.redis, prefix: `${r.prefix}bull` });
    });
    afterAll(async () => {
      await worker?.close();
      workerConnection?.disconnect();
      await app?.close();
      await queue.obliterate({ force: true });
      await queue.close();
      await r.cleanup();
    });

    it('a failed add answers 503 and releases the claim; the retry is queued once, copies add nothing', async () => {
      let failNext = true;
      const flaky: JobQueue = {
        add: async (name, data, options) => {
          if (failNext) {
            failNext = false;
            throw new Error('READONLY You cannot write against a read only replica.');
          }
          return queue.add(name, data, options);
        },
      };
      const errors: unknown[] = [];
      app = await nodeApp({
        secret: SECRET,
        dedupe: redisDedupe(r.redis, { prefix: r.prefix }),
        enqueue: bullmqEnqueue(flaky),
        onError: (error) => void errors.push(error),
      });
      const { body, signature } = signed('del_q1');
      const first = await post(app.url, body, signature, 'del_q1');
      expect(first).toMatchObject({ status: 503, retryAfter: '60' });
      expect(await queue.getJobCounts()).toMatchObject({ waiting: 0 });
      expect(String(errors[0])).toContain('READONLY');

      const retry = await post(app.url, body, signature, 'del_q1'); // released: this one is queued
      const swapped = await post(app.url, body, signature, 'del_other'); // the same signed bytes, another id
      expect([retry.status, swapped.status]).toEqual([200, 200]);
      expect(swapped.body).toContain('"duplicate":true');
      const jobs = await queue.getJobs(['waiting']);
      expect(jobs).toHaveLength(1);
      expect(jobs[0]!.id).toBe(jobIdFor(jobs[0]!.data.keys));
      expect(jobs[0]!.id).toMatch(/^v1%3A[0-9a-f]{64}$/);
      expect(jobs[0]!.data).toMatchObject({ deliveryId: 'del_q1', event: { event: 'render.completed' } });
    });

    it('the worker runs the typed handler; spent attempts land in the failed set; job.retry() runs it again', async () => {
      // The job queued above has bullmqEnqueue's defaults (5 attempts, 5 s backoff): make this one quick. It is taken
      // away before the worker starts, which would lock it (remove() then fails).
      const [job] = await queue.getJobs(['waiting']);
      await job!.remove();
      // No onError given: each failed run is written to stderr (console.error), with the delivery id.
      const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
      let broken = true;
      const handled: string[] = [];
      worker = pictifyWorker(queue.name, {
        connection: (workerConnection = r.redis.duplicate()),
        prefix: `${r.prefix}bull`,
        dedupe: redisDedupe(r.redis, { prefix: r.prefix }),
        on: {
          'render.completed': async (event, ctx) => {
            if (broken) throw new Error('the database is down');
            handled.push(`${event.data.url} ${ctx.deliveryId}`);
          },
        },
      });
      const enqueue = bullmqEnqueue(queue, { jobOptions: { attempts: 2, backoff: { type: 'fixed', delay: 50 } } });
      await enqueue({
        event: job!.data.event,
        deliveryId: 'del_q1',
        keys: job!.data.keys,
        timestamp: 0,
        secretIndex: 0,
      });
      let failed = await queue.getFailed();
      for (let i = 0; i < 100 && failed.length === 0; i++) {
        await sleep(100);
        failed = await queue.getFailed();
      }
      expect(failed).toHaveLength(1);
      expect(failed[0]!.attemptsMade).toBe(2);
      expect(failed[0]!.failedReason).toBe('the database is down');
      expect(handled).toEqual([]);
      const lines = logged.mock.calls.map(([head, error]) => `${String(head)} ${(error as Error).message}`);
      logged.mockRestore();
      expect(lines).toEqual(Array(2).fill(`pictify-hooks: delivery del_q1 (job ${job!.id}): the database is down`));

      broken = false;
      await failed[0]!.retry();
      for (let i = 0; i < 100 && handled.length === 0; i++) await sleep(100);
      expect(handled).toEqual([`${job!.data.event.data.url} del_q1`]);
      expect(await queue.getFailedCount()).toBe(0);
    });
  },
  import.meta.url,
);
