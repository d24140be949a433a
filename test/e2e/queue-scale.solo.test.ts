// Item 6 of issue 23, for redisDedupe and postgresDedupe: 3 receiver processes (node adapter + the store +
// bullmqEnqueue) and 2 pictifyWorker processes whose handler inserts a row per run (no unique key: a second run is a
// second row). 5,000 unique deliveries, each sent 1–3 times to random receivers, a tenth of the copies at the same
// moment as another, plus a fifth of the signed bodies re-sent under a new delivery id; the sender retries whatever
// was not answered 2xx (re-signed with a fresh timestamp, same delivery id, as Pictify does); one receiver gets
// kill -9 a third of the way in. Every delivery must be processed exactly once.
import { Agent, request } from 'node:http';
import { afterAll, expect, it } from 'vitest';
import { buildSampleEvent } from '../../src/events/index.js';
import { EVENT_NAMES } from '../../src/events/names.js';
import { signPayload } from '../../src/signing/index.js';
import { queueCluster, type Started } from '../helpers/queue-cluster.js';
import { describeWith } from '../helpers/services.js';

const DELIVERIES = Number(process.env.PICTIFY_SCALE_DELIVERIES) || 5_000;
const SENDERS = 48;
const SECRET = 'whsec_queue_scale';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Tally {
  requests: number;
  ok: number;
  refused: Record<string, number>;
}

const agent = new Agent({ keepAlive: true, maxSockets: SENDERS });

function post(port: number, body: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/',
        method: 'POST',
        agent,
        headers: { ...headers, 'content-type': 'application/json' },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0)); // a receiver that died: Pictify sees a failed delivery and retries
    req.setTimeout(10_000, () => req.destroy());
    req.end(body);
  });
}

for (const store of ['redis', 'postgres'] as const) {
  describeWith(
    ['redis', 'postgres'],
    `queue-first at scale, ${store}Dedupe`,
    () => {
      let cluster: Awaited<ReturnType<typeof queueCluster>> | undefined;
      afterAll(async () => cluster?.cleanup());

      it(
        `3 receivers + 2 workers, ${DELIVERIES} deliveries with copies, swaps, retries and a kill -9: each processed once`,
        { timeout: 90_000 },
        async () => {
          const started = Date.now();
          cluster = await queueCluster(store, SECRET);
          // Worker pools are 2 × concurrency + 2 and receivers' 8: 60 PostgreSQL connections in all, well under 100.
          const env = { LEASE_MS: '2000', CONCURRENCY: '8', RECORD: 'outside' };
          const receivers: Started[] = await Promise.all([1, 2, 3].map(() => cluster!.start('receiver.mjs', env)));
          // Receivers lease for 2 s, so the deliveries the killed one held are taken again soon; workers lease for 30 s
          // (BullMQ's lock): a lease shorter than a handler under load lets a second job of the same delivery run.
          await Promise.all([1, 2].map(() => cluster!.start('worker.mjs', { ...env, LEASE_MS: '30000' })));
          const live = receivers.map((r) => r.info.port as number);
          const tally: Tally = { requests: 0, ok: 0, refused: {} };

          /** One copy until it is answered 2xx; `resign` re-signs each retry with a fresh timestamp. */
          async function deliver(body: string, id: string, signature: string, resign: boolean): Promise<void> {
            for (let attempt = 0; ; attempt++) {
              const port = live[Math.floor(Math.random() * live.length)]!;
              const sig =
                attempt > 0 && resign
                  ? signPayload({ payload: body, secret: SECRET, timestamp: Math.floor(Date.now() / 1000) })
                  : signature;
              tally.requests += 1;
              const status = await post(port, body, { 'x-pictify-signature': sig, 'x-pictify-delivery-id': id });
              if (status >= 200 && status < 300) {
                tally.ok += 1;
                return;
              }
              tally.refused[status] = (tally.refused[status] ?? 0) + 1;
              await sleep(Math.min(1_000, 100 * (attempt + 1)));
            }
          }

          let next = 0;
          let done = 0;
          let killed: number | null = null;
          async function sender() {
            for (let i = next++; i < DELIVERIES; i = next++) {
              const id = `del_${store}_${i}`;
              const body = JSON.stringify(buildSampleEvent(EVENT_NAMES[i % EVENT_NAMES.length]!, { deliveryId: id }));
              const signature = signPayload({
                payload: body,
                secret: SECRET,
                timestamp: Math.floor(Date.now() / 1000),
              });
              const copies = 1 + (i % 3); // 1–3 copies
              if (i % 10 === 0)
                await Promise.all([deliver(body, id, signature, true), deliver(body, id, signature, true)]);
              else await deliver(body, id, signature, true);
              for (let c = i % 10 === 0 ? 2 : 1; c < copies; c++) await deliver(body, id, signature, true);
              // The same signed bytes under a delivery id nobody sent: a replay, retried as it is.
              if (i % 5 === 0) await deliver(body, `del_swapped_${store}_${i}`, signature, false);
              done += 1;
              if (done === Math.floor(DELIVERIES / 3) && killed === null) {
                killed = live.splice(0, 1)[0]!;
                receivers[0]!.child.kill('SIGKILL');
              }
            }
          }
          const progress = setInterval(
            () =>
              void cluster!
                .counts()
                .then((c) =>
                  process.stderr.write(
                    `  ${((Date.now() - started) / 1000).toFixed(0)} s: ${done} delivered, ${tally.requests} requests, ` +
                      `${c.outside_distinct} processed\n`,
                  ),
                ),
            5_000,
          );
          await Promise.all(Array.from({ length: SENDERS }, sender)).finally(() => clearInterval(progress));
          const sentAt = Date.now();

          let counts = await cluster.counts();
          while (
            Date.now() - started < 80_000 &&
            (counts.outside_distinct < DELIVERIES || (await cluster.pending()) > 0)
          ) {
            await sleep(250);
            counts = await cluster.counts();
          }
          await sleep(1_000);
          counts = await cluster.counts();
          const failed = await cluster.queue.getJobCountByTypes('failed');
          console.log(
            `${store}Dedupe scale: ${DELIVERIES} deliveries, ${tally.requests} requests sent, ${tally.ok} answered 2xx, ` +
              `refused ${JSON.stringify(tally.refused)} (0 = connection failed); processed ${counts.outside_distinct}, ` +
              `rows ${counts.outside_rows}, processed twice ${counts.outside_twice}, ` +
              `missing ${DELIVERIES - counts.outside_distinct}, failed jobs ${failed}; ` +
              `sending ${((sentAt - started) / 1000).toFixed(1)} s, total ${((Date.now() - started) / 1000).toFixed(1)} s`,
          );
          expect(killed).not.toBeNull();
          expect(counts.outside_twice).toBe(0);
          expect(counts.outside_rows).toBe(DELIVERIES);
          expect(counts.outside_distinct).toBe(DELIVERIES);
          expect(failed).toBe(0);
        },
      );
    },
    import.meta.url,
  );
}
