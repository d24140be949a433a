// The header-swap reproduction for every adapter and every store: one correctly signed body sent three times under
// three X-Pictify-Delivery-Id values (the header the signature does not cover). Before claims keyed on the verified
// v1 the handler ran 3 times; now it runs once, and the other copies answer 200 duplicate.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DedupeStore } from '../../src/adapters/claim.js';
import type { WebhookHandlerOptions } from '../../src/adapters/core.js';
import { memoryDedupe } from '../../src/adapters/stores/memory.js';
import { migrate, postgresDedupe } from '../../src/adapters/stores/postgres.js';
import { redisDedupe } from '../../src/adapters/stores/redis.js';
import { buildSampleEvent } from '../../src/events/index.js';
import { signPayload } from '../../src/signing/index.js';
import { describeWith, postgresForTest, redisForTest, type Service } from '../helpers/services.js';
import { expressApp, fastifyApp, honoApp, nextApp, nodeApp, type RunningApp } from '../unit/adapters/servers.js';

const SECRET = 'whsec_header_swap';

const adapters: Array<[string, (options: WebhookHandlerOptions) => Promise<RunningApp>]> = [
  ['createWebhookHandler (Next.js route)', nextApp],
  ['node', nodeApp],
  ['express', (o) => expressApp(o)],
  ['fastify', fastifyApp],
  ['hono', honoApp],
];

const stores: Array<[string, Service[]]> = [
  ['memoryDedupe', []],
  ['redisDedupe', ['redis']],
  ['postgresDedupe', ['postgres']],
];

for (const [storeName, services] of stores) {
  describeWith(
    services,
    `header swap, ${storeName}`,
    () => {
      let store: () => DedupeStore;
      let cleanup = async () => {};
      beforeAll(async () => {
        if (storeName === 'redisDedupe') {
          const r = redisForTest('swap');
          store = () => redisDedupe(r.redis, { prefix: r.prefix });
          cleanup = r.cleanup;
        } else if (storeName === 'postgresDedupe') {
          const p = await postgresForTest('swap');
          await migrate(p.pool);
          store = () => postgresDedupe(p.pool);
          cleanup = p.cleanup;
        } else store = () => memoryDedupe();
      });
      afterAll(() => cleanup());

      it.each(adapters)('%s: one signed body under three delivery ids runs the handler once', async (_n, start) => {
        const calls: string[] = [];
        const app = await start({
          secret: SECRET,
          dedupe: store(),
          on: { '*': (event, ctx) => void calls.push(`${event.event} ${ctx.deliveryId}`) },
        });
        try {
          const body = JSON.stringify(
            buildSampleEvent('render.completed', { deliveryId: `del_swap_${Math.random()}` }),
          );
          const signature = signPayload({ payload: body, secret: SECRET, timestamp: Math.floor(Date.now() / 1000) });
          const answers: string[] = [];
          for (const id of [`del_a_${Math.random()}`, `del_b_${Math.random()}`, `del_c_${Math.random()}`]) {
            const response = await fetch(app.url, {
              method: 'POST',
              headers: {
                'content-type': 'application/json',
                'x-pictify-signature': signature,
                'x-pictify-delivery-id': id,
              },
              body,
            });
            answers.push(`${response.status} ${await response.text()}`);
          }
          expect(calls).toHaveLength(1);
          expect(answers).toEqual([
            '200 {"received":true}',
            '200 {"received":true,"duplicate":true}',
            '200 {"received":true,"duplicate":true}',
          ]);
        } finally {
          await app.close();
        }
      });
    },
    import.meta.url,
  );
}
