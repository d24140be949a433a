// Item 6 of issue 23: queue-first handling at scale, for each shared store. Three receivers (node adapter + the
// store + bullmqEnqueue) and two pictifyWorkers whose handler inserts a plain row per run (a second run is a second
// row). 5,000 deliveries, each sent 1–3 times to random receivers, a tenth of the copies in concurrent bursts, a
// fifth of the signed bodies also re-sent under a new delivery id; the sender retries every copy not answered 2xx,
// as Pictify does; one receiver is killed (kill -9) mid-run. Every delivery must have exactly one row.
// Leases and locks are short so that the killed receiver's claims run out within the test, and so that a run that
// outlives its lease (a loaded machine) shows up as a second row unless the lease is renewed while it runs.
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import { afterAll, expect, it } from 'vitest';
import { buildSampleEvent } from '../../src/events/index.js';
import { signPayload } from '../../src/signing/index.js';
import { queueCluster } from '../helpers/queue-cluster.js';
import { describeWith, type Service } from '../helpers/services.js';

const SECRET = 'whsec_queue_scale';
const DELIVERIES = Number(process.env.SCALE_DELIVERIES ?? 5_000);
const IN_FLIGHT = 48;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)]!;

interface Copy {
  body: string;
  signature: string;
  id: string;
}

/** Each delivery's copies: 1–3 under its own id, and for a fifth of them one more under a new id. */
function plan(): Copy[][] {
  const units: Copy[][] = [];
  const t = Math.floor(Date.now() / 1000);
  for (let i = 0; i < DELIVERIES; i++) {
    const id = `del_${i}`;
    const body = JSON.stringify(buildSampleEvent('render.completed', { deliveryId: id }));
    const signature = signPayload({ payload: body, secret: SECRET, timestamp: t });
    const copies: Copy[] = Array.from({ length: 1 + Math.floor(Math.random() * 3) }, () => ({ body, signature, id }));
    if (i % 5 === 0) copies.push({ body, signature, id: `${id}_resent` });
    // A tenth of the copies arrive together (one burst); the others each on their own, in random order.
    if (Math.random() < 0.1) units.push(copies);
    else for (const copy of copies) units.push([copy]);
  }
  for (let i = units.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [units[i], units[j]] = [units[j]!, units[i]!];
  }
  return units;
}

for (const store of ['redis', 'postgres'] as const) {
  const services: Service[] = ['redis', 'postgres'];
  describeWith(
    services,
    `queue-first at scale, ${store}Dedupe`,
    () => {
      let cluster: Awaited<ReturnType<typeof queueCluster>> | undefined;
      afterAll(async () => cluster?.cleanup());

      it(
        `${DELIVERIES} deliveries, copies, re-sends and a killed receiver: each processed exactly once`,
        {
          timeout: 90_000,
        },
        async () => {
          const started = Date.now();
          cluster = await queueCluster(store, SECRET);
          const receiverEnv = { LEASE_MS: '2000' };
          const workerEnv = { LEASE_MS: '2000', LOCK_MS: '5000', STALLED_MS: '2000', CONCURRENCY: '16' };
          const receivers = await Promise.all([0, 1, 2].map(() => cluster!.start('receiver.mjs', receiverEnv)));
          await Promise.all([0, 1].map(() => cluster!.start('worker.mjs', workerEnv)));
          const ports = receivers.map((r) => r.info.port as number);
          const agent = new Agent({ keepAlive: true, maxSockets: 64 });

          let sent = 0;
          let ok = 0;
          const statuses = new Map<string, number>();
          const post = (port: number, copy: Copy) =>
            new Promise<number>((resolve) => {
              const req = request(
                {
                  host: '127.0.0.1',
                  port,
                  method: 'POST',
                  path: '/',
                  agent,
                  headers: {
                    'content-type': 'application/json',
                    'x-pictify-signature': copy.signature,
                    'x-pictify-delivery-id': copy.id,
                  },
                },
                (res) => {
                  res.resume();
                  res.on('end', () => resolve(res.statusCode ?? 0));
                },
              );
              req.on('error', () => resolve(0));
              req.end(copy.body);
            });
          /** Pictify's behaviour, sped up: anything but 2xx (409 in flight, 5xx, a dead receiver) is sent again. */
          // A receiver that refuses the connection is skipped at once for another, as a load balancer does.
          async function deliver(copy: Copy): Promise<void> {
            let port = pick(ports);
            for (let attempt = 0; ; attempt++) {
              sent += 1;
              const status = await post(port, copy);
              const label = status === 0 ? 'connection failed' : String(status);
              statuses.set(label, (statuses.get(label) ?? 0) + 1);
              if (status >= 200 && status < 300) {
                ok += 1;
                return;
              }
              if (status === 0) port = pick(ports.filter((p) => p !== port));
              else {
                await sleep(Math.min(1_000, 100 * 2 ** attempt));
                port = pick(ports);
              }
            }
          }

          const units = plan();
          const total = units.length;
          const killAt = Math.floor(total * 0.4);
          let next = 0;
          await Promise.all(
            Array.from({ length: IN_FLIGHT }, async () => {
              while (next < total) {
                const index = next++;
                if (index === killAt) receivers[0]!.child.kill('SIGKILL');
                await Promise.all(units[index]!.map(deliver));
              }
            }),
          );
          agent.destroy();
          const sentIn = (Date.now() - started) / 1000;

          // Everything is acknowledged, so everything is queued: wait for the workers to drain the queue.
          const deadline = started + 80_000;
          let counts = await cluster.counts();
          while (Date.now() < deadline && (counts.outside_distinct < DELIVERIES || (await cluster.pending()) > 0)) {
            await sleep(250);
            counts = await cluster.counts();
          }
          await sleep(2_500); // a job that would run a second time (stalled, retried) has had its chance
          counts = await cluster.counts();
          const failed = await cluster.queue.getJobCountByTypes('failed');
          const missing = DELIVERIES - counts.outside_distinct;
          console.log(
            `queue scale, ${store}Dedupe: ${DELIVERIES} deliveries, sent ${sent} requests (${[...statuses]
              .map(([s, n]) => `${s}: ${n}`)
              .join(', ')}), 2xx ${ok}, processed ${counts.outside_distinct}, processed twice ` +
              `${counts.outside_twice} (${counts.outside_rows} rows), missing ${missing}, failed jobs ${failed}, ` +
              `${((Date.now() - started) / 1000).toFixed(1)} s (all acknowledged at ${sentIn.toFixed(1)} s), ` +
              `load average ${loadavg()
                .map((n) => n.toFixed(1))
                .join(' ')}`,
          );
          expect(receivers[0]!.child.signalCode).toBe('SIGKILL');
          expect(statuses.get('connection failed') ?? 0).toBeGreaterThan(0);
          expect(ok).toBe(units.reduce((n, unit) => n + unit.length, 0));
          expect(missing).toBe(0);
          expect(counts.outside_twice).toBe(0);
          expect(counts.outside_rows).toBe(DELIVERIES);
          expect(failed).toBe(0);
        },
      );
    },
    import.meta.url,
  );
}
