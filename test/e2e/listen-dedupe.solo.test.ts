// listen recognises a delivery it acknowledged before — by its delivery id or by its signed bytes (the v1 the
// signature covers, so a copy re-sent under a new X-Pictify-Delivery-Id is the same delivery) — across the whole
// store, the rotated file included, and across a restart after kill -9 (issue 23 item 4). The built bin, a real app
// behind --forward-to that counts what reaches it.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { postDelivery } from '../../src/outbound/post.js';
import type { SignedRequest } from '../../src/outbound/build.js';
import { rotatedPath } from '../../src/store/event-store.js';
import { startWithReadyFile, useBinSandbox } from '../helpers/bin.js';
import { signedSample } from '../unit/receiver/deliver.js';

const SECRET = 'whsec_dedupe_e2e';
const { dir, cli, servers } = useBinSandbox();

/** An app that answers 200 and counts each delivery id it was given. */
async function countingApp() {
  const seen = new Map<string, number>();
  const server = createServer((req, res) => {
    const id = String(req.headers['x-pictify-delivery-id']);
    seen.set(id, (seen.get(id) ?? 0) + 1);
    req.resume();
    req.on('end', () => res.end('{}'));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, seen };
}

const sample = (deliveryId: string, nowMs = Date.now()) =>
  signedSample('render.completed', { nowMs, secret: SECRET, deliveryId });

/** The same signed bytes under another delivery id (the header the signature does not cover). */
const swapped = (request: SignedRequest, deliveryId: string): SignedRequest => ({
  body: request.body,
  headers: { ...request.headers, 'x-pictify-delivery-id': deliveryId },
});

/** Each request's status, or its network failure. */
async function sendAll(url: string, requests: SignedRequest[], concurrency = 16): Promise<Array<number | string>> {
  const statuses: Array<number | string> = new Array(requests.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests.length) {
        const i = next++;
        const result = await postDelivery(url, requests[i]);
        statuses[i] = result.status ?? `${result.error?.kind}: ${result.error?.message}`;
      }
    }),
  );
  return statuses;
}

describe('listen: duplicates across the whole store and restarts (built bin)', () => {
  it('10,001 deliveries, rotation, kill -9 and a restart: every copy is answered 200 and forwarded once', async () => {
    const app = await countingApp();
    const file = join(dir, 'events.jsonl');
    const args = ['listen', '--port', '0', '--secret', SECRET, '--store', file, '--store-max', '8mb'];
    const listen = await startWithReadyFile(cli, [...args, '--forward-to', app.url], dir);

    const first = sample('del_first');
    const unique = [first, ...Array.from({ length: 10_000 }, (_, i) => sample(`del_bulk${i}`))];
    expect((await sendAll(listen.url, unique)).filter((s) => s !== 200)).toEqual([]);
    // The first delivery is in the rotated file now (10,001 records of ~1.2 KB: one rotation at 8 MB).
    expect(readFileSync(rotatedPath(file), 'utf8')).toContain('"deliveryId":"del_first"');

    // The same copy, and the same signed bytes under a new delivery id: duplicates, 200, not forwarded.
    expect((await postDelivery(listen.url, first)).status).toBe(200);
    expect((await postDelivery(listen.url, swapped(first, 'del_swapped1'))).status).toBe(200);

    listen.child.kill('SIGKILL');
    await listen.done;
    const again = await startWithReadyFile(cli, [...args, '--forward-to', app.url], dir);
    // After the restart: the first delivery (in the rotated file), Pictify's retry of it (same id, signed anew a
    // minute later: another v1), and its bytes under yet another id.
    const copies = [first, sample('del_first', Date.now() + 60_000), swapped(first, 'del_swapped2')];
    expect(await sendAll(again.url, copies, 1)).toEqual([200, 200, 200]);
    expect((await postDelivery(again.url, sample('del_new'))).status).toBe(200);
    again.child.kill('SIGTERM');
    const done = await again.done;
    expect(done.code).toBe(0);
    expect(done.stderr).toMatch(/\(4 verified, 0 rejected, 3 duplicate\)/);

    const twice = [...app.seen].filter(([, n]) => n !== 1);
    expect(twice).toEqual([]);
    expect(app.seen.size).toBe(10_002);
    expect(app.seen.has('del_swapped1') || app.seen.has('del_swapped2')).toBe(false);
  }, 180_000);
});
