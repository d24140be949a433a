// Every adapter graded by our own `check` suite, against a real app of its framework on 127.0.0.1: 20/20 each.
// Plus the pitfalls that break webhook verification in real apps.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { run, tempConfigDir } from '../../helpers/cli.js';
import { signPayload } from '../../../src/signing/index.js';
import { buildSampleEvent } from '../../../src/events/index.js';
import type { WebhookHandlerOptions } from '../../../src/adapters/core.js';
import { BODY_ALREADY_PARSED } from '../../../src/adapters/express.js';
import { expressApp, fastifyApp, honoApp, nextApp, nodeApp, type RunningApp } from './servers.js';

const SECRET = 'whsec_adapter_check_secret';
const config = tempConfigDir();
let app: RunningApp | undefined;

afterAll(() => config.cleanup());
afterEach(async () => {
  await app?.close();
  app = undefined;
});

function handlerOptions(received: string[]): WebhookHandlerOptions {
  return {
    secret: SECRET,
    on: {
      'render.completed': (event) => void received.push(`${event.event} ${event.data.url}`),
      '*': (event, ctx) => void received.push(`${event.event} ${ctx.deliveryId}`),
    },
  };
}

const frameworks: Array<[string, (options: WebhookHandlerOptions) => Promise<RunningApp>]> = [
  ['node:http', nodeApp],
  ['Express 5', (o) => expressApp(o)],
  ['Fastify 5', fastifyApp],
  ['Hono 4 (node server)', honoApp],
  ['Next.js-style route handler', nextApp],
];

describe.each(frameworks)('%s adapter', (_name, start) => {
  it('scores 20/20 with check', async () => {
    const received: string[] = [];
    app = await start(handlerOptions(received));
    const result = await run(config.dir, ['check', app.url, '--secret', SECRET, '--json', '--request-gap', '0'], {
      now: () => Date.now(),
    });
    const report = JSON.parse(result.stdout) as {
      passed: number;
      total: number;
      results: { id: string; pass: boolean; got: string }[];
    };
    expect(report.results.filter((r) => !r.pass)).toEqual([]);
    expect(report).toMatchObject({ passed: 20, total: 20 });
    expect(result.code).toBe(0);
    // 6 valid events + rotation + one duplicate pair: 8 handled; the second copy of the pair was not handled again.
    expect(received).toHaveLength(8);
  });

  it('verifies multibyte UTF-8 and \\r\\n bodies byte-exact', async () => {
    const rawBodies: string[] = [];
    app = await start({
      secret: SECRET,
      on: { '*': (_event, ctx) => void rawBodies.push(Buffer.from(ctx.rawBody).toString('hex')) },
    });
    const event = (id: string) => buildSampleEvent('render.completed', { deliveryId: id });
    const unicode = event('del_utf8');
    const bodies = [
      Buffer.from(JSON.stringify({ ...unicode, data: { ...unicode.data, url: 'https://x.test/é字😀.png' } })),
      Buffer.from(JSON.stringify(event('del_crlf'), null, 2).replace(/\n/g, '\r\n') + '\r\n'),
    ];
    for (const body of bodies) {
      const response = await fetch(app.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-pictify-signature': signPayload({ payload: body, secret: SECRET }),
        },
        body,
      });
      expect(response.status).toBe(200);
    }
    expect(rawBodies).toEqual(bodies.map((b) => b.toString('hex')));
  });
});

describe('pitfalls', () => {
  function signedDelivery() {
    const body = JSON.stringify(buildSampleEvent('render.completed', { deliveryId: 'del_pitfall' }));
    return {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-pictify-signature': signPayload({ payload: body, secret: SECRET }),
        'x-pictify-delivery-id': 'del_pitfall',
      },
      body,
    };
  }

  it('Express with express.json() mounted first: a clear error naming the fix, not a signature mismatch', async () => {
    const errors: string[] = [];
    let handled = 0;
    app = await expressApp({ secret: SECRET, on: { '*': () => void (handled += 1) } }, { jsonFirst: true, errors });
    const response = await fetch(app.url, signedDelivery());
    expect(response.status).toBe(500); // not acknowledged: Pictify retries once the app is fixed
    expect(errors).toEqual([BODY_ALREADY_PARSED]);
    expect(BODY_ALREADY_PARSED).toMatch(/before express\.json\(\)/);
    expect(await response.text()).not.toContain('signature_mismatch');
    expect(handled).toBe(0);
  });

  it('Express: express.json() mounted after the webhook route leaves the other routes parsing JSON', async () => {
    app = await expressApp({ secret: SECRET, on: {} });
    expect((await fetch(app.url, signedDelivery())).status).toBe(200);
    const echo = await fetch(app.url.replace('/webhooks/pictify', '/api/echo'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(await echo.json()).toEqual({ a: 1 });
  });

  it('Fastify: the default JSON parser elsewhere in the app, the raw bytes on the webhook route', async () => {
    app = await fastifyApp({ secret: SECRET, on: {} });
    const delivery = signedDelivery();
    const reformatted = { ...delivery, body: JSON.stringify(JSON.parse(delivery.body), null, 2) };
    expect((await fetch(app.url, delivery)).status).toBe(200);
    expect((await fetch(app.url, reformatted)).status).toBe(401); // the bytes count, not the parsed value
    const echo = await fetch(app.url.replace('/webhooks/pictify', '/api/echo'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(await echo.json()).toEqual({ parsed: { a: 1 } });
  });

  it('Hono: another route reading JSON does not disturb the webhook route', async () => {
    app = await honoApp({ secret: SECRET, on: {} });
    expect((await fetch(app.url, signedDelivery())).status).toBe(200);
    const echo = await fetch(app.url.replace('/webhooks/pictify', '/api/echo'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(await echo.json()).toEqual({ a: 1 });
  });
});
