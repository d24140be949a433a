// What listen and every adapter do with a request they refuse by its head or its size, on real servers: the
// Content-Type rule (one verdict for one input), and a body over the limit — refused, read no further, and the
// connection ended after the 413 (a client pushing 64 MiB gets its answer, not an open pipe into the server).
import { afterEach, describe, expect, it } from 'vitest';
import type { WebhookHandlerOptions } from '../../../src/adapters/core.js';
import { startReceiver } from '../../../src/receiver/index.js';
import { MiB, offerBody } from '../../helpers/flood.js';
import { signedSample } from '../receiver/deliver.js';
import { expressApp, fastifyApp, honoApp, nextApp, nodeApp, PATH, type RunningApp } from './servers.js';

const SECRET = 'whsec_body_limits_secret';
let app: RunningApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** listen's receiver, on the same path, with the same secret: the reference the adapters must agree with. */
async function listenApp(): Promise<RunningApp> {
  const receiver = await startReceiver({ port: 0, path: PATH, secrets: [{ secret: SECRET }], store: null });
  return { url: receiver.url, close: () => receiver.close() };
}

const options: WebhookHandlerOptions = { secret: SECRET, on: {} };
const receivers: Array<[string, () => Promise<RunningApp>]> = [
  ['listen', listenApp],
  ['node:http', () => nodeApp(options)],
  ['Express 5', () => expressApp(options)],
  ['Fastify 5', () => fastifyApp(options)],
  ['Hono 4 (node server)', () => honoApp(options)],
  ['Next.js-style route handler', () => nextApp(options)],
];

/** A validly signed delivery with this Content-Type (undefined: none at all). */
async function post(url: string, contentType: string | undefined): Promise<{ status: number; error?: string }> {
  const signed = signedSample('render.completed', { nowMs: Date.now(), secret: SECRET });
  const headers: Record<string, string> = { ...signed.headers };
  delete headers['content-type'];
  if (contentType !== undefined) headers['content-type'] = contentType;
  const res = await fetch(url, { method: 'POST', headers, body: new Uint8Array(signed.body) });
  const text = await res.text();
  return { status: res.status, error: (JSON.parse(text) as { error?: string }).error };
}

describe.each(receivers)('%s', (_name, start) => {
  it('Content-Type: JSON types are delivered; text/plain, form data and none get 415 however well signed', async () => {
    app = await start();
    for (const type of ['application/json', 'application/json; charset=utf-8', 'Application/JSON']) {
      expect({ type, ...(await post(app.url, type)) }).toEqual({ type, status: 200, error: undefined });
    }
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '']) {
      const got = await post(app.url, type === '' ? undefined : type);
      expect({ type, ...got }).toEqual({ type, status: 415, error: 'unsupported_media_type' });
    }
  });

  for (const [how, framing] of [
    ['announced by Content-Length', {}],
    ['chunked', { chunked: true }],
  ] as const) {
    it(`a 64 MiB body ${how}: 413, read no further, the connection ended`, async () => {
      app = await start();
      const offered = await offerBody(app.url, {
        headers: { 'content-type': 'application/json' },
        total: 64 * MiB,
        ...framing,
      });
      expect(offered.status, offered.answer.slice(0, 300)).toBe(413);
      // The default limit is 1 MiB; socket buffers on loopback hold a few more.
      expect(offered.accepted).toBeLessThan(16 * MiB);
      expect(offered.closed).toBe(true);
      expect(offered.answer).toMatch(/\r\nconnection: close\r\n/i);
      expect(offered.answer).toMatch(/"error":"payload_too_large"/);
    });
  }
});
