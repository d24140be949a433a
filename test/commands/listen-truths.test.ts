// What listen tells a user at start and at the end: the secrets it verifies with (counted, not listed), warnings
// about secrets that cannot match, a scheme-less local --forward-to, and --exit-after blaming the app, not the
// sender, when the app refused verified deliveries.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { postDelivery } from '../../src/outbound/post.js';
import { FIXED_NOW, run, tempConfigDir, type RunOptions } from '../helpers/cli.js';
import { SECRET, signedSample, waitForFile } from '../unit/receiver/deliver.js';

let dir: string;
let cleanup: () => void;
let app: Server | undefined;
beforeEach(() => ({ dir, cleanup } = tempConfigDir()));
afterEach(async () => {
  if (app) await new Promise((r) => app!.close(r));
  app = undefined;
  cleanup();
});

async function listen(args: string[], options: RunOptions = {}) {
  const readyFile = join(dir, `ready-${Math.random().toString(36).slice(2)}`);
  const result = run(dir, ['listen', '--port', '0', '--no-store', '--ready-file', readyFile, ...args], options);
  const url = await Promise.race([
    waitForFile(readyFile),
    result.then((r) => Promise.reject(new Error(`listen exited ${r.code}: ${r.stderr}`))),
  ]);
  return { url, result };
}

/** A stand-in for the user's app that answers every request with `status`. */
async function startApp(status: number): Promise<{ port: number; hits: string[] }> {
  const hits: string[] = [];
  app = createServer((req, res) => {
    hits.push(req.url ?? '');
    req.resume();
    req.on('end', () => res.writeHead(status).end());
  });
  await new Promise<void>((r) => app!.listen(0, '127.0.0.1', r));
  return { port: (app.address() as AddressInfo).port, hits };
}

const send = (url: string, id: string) =>
  postDelivery(url, signedSample('render.completed', { nowMs: FIXED_NOW, deliveryId: id }));

describe('listen: the Ready line and secret warnings', () => {
  it('counts many secrets by origin instead of listing their ids', async () => {
    for (const uid of ['wh_1', 'wh_2', 'wh_3', 'wh_4']) await run(dir, ['secrets', 'set', uid, `whsec_${uid}_secret`]);
    const { url, result } = await listen(['--exit-after', '1']);
    await postDelivery(url, signedSample('render.completed', { nowMs: FIXED_NOW, secret: 'whsec_wh_2_secret' }));
    const { code, stderr } = await result;
    expect(code).toBe(0);
    expect(stderr).toMatch(/^Ready: listening on http:\/\/127\.0\.0\.1:\d+ — secrets: 4 \(4 from the profile\)$/m);
    expect(stderr).not.toContain('wh_1, wh_2');
  });

  it('warns at start about a secret with whitespace around it or without whsec_, and still uses it', async () => {
    const { url, result } = await listen(['--secret', `${SECRET}\n`, '--secret', 'plain-secret', '--exit-after', '1']);
    await postDelivery(url, signedSample('render.completed', { nowMs: FIXED_NOW, secret: 'plain-secret' }));
    const { code, stderr } = await result;
    expect(code).toBe(0);
    const ready = stderr.indexOf('Ready:');
    const before = stderr.slice(0, ready);
    expect(before).toContain('warning: --secret #1 has whitespace around it (a pasted newline?)');
    expect(before).toContain('warning: --secret #2 does not start with whsec_');
    expect(before).not.toContain('--secret #1 does not start');
    expect(stderr).not.toContain('plain-secret');
  });

  it('PICTIFY_WEBHOOK_SECRET gets the same warnings', async () => {
    const { url, result } = await listen(['--exit-after', '1'], { env: { PICTIFY_WEBHOOK_SECRET: ' whsec_env ' } });
    await postDelivery(url, signedSample('render.completed', { nowMs: FIXED_NOW, secret: ' whsec_env ' }));
    const { stderr } = await result;
    expect(stderr).toContain('warning: PICTIFY_WEBHOOK_SECRET has whitespace around it');
  });
});

describe('listen --forward-to and --exit-after', () => {
  it('--forward-to localhost:<port> without a scheme forwards over http', async () => {
    const target = await startApp(200);
    const { url, result } = await listen([
      '--secret',
      SECRET,
      '--forward-to',
      `localhost:${target.port}/hooks`,
      '--exit-after',
      '1',
    ]);
    const answer = await send(url, 'del_fwd');
    expect(answer.status).toBe(200);
    const { code, stderr } = await result;
    expect(code, stderr).toBe(0);
    expect(target.hits).toEqual(['/hooks']);
    expect(stderr).toContain(`forward: * → http://localhost:${target.port}/hooks`);
  });

  it('an app answering 400 to every verified delivery: --exit-after still ends, blaming the app (exit 1)', async () => {
    const target = await startApp(400);
    const forward = `http://127.0.0.1:${target.port}/webhooks`;
    const { url, result } = await listen([
      '--secret',
      SECRET,
      '--forward-to',
      forward,
      '--exit-after',
      '3',
      '--timeout',
      '20s',
    ]);
    for (const id of ['del_a', 'del_b', 'del_c']) expect((await send(url, id)).status).toBe(400);
    const { code, stderr } = await result;
    expect(code).toBe(1);
    expect(stderr).toContain(`error: 3 deliveries verified, but your app at ${forward} answered 400 to all of them`);
    expect(stderr).not.toContain('check that the sender');
  });

  it('an app that is down: the deliveries are verified, the app could not be reached', async () => {
    const target = await startApp(200);
    await new Promise((r) => app!.close(r));
    app = undefined;
    const forward = `http://127.0.0.1:${target.port}/webhooks`;
    const { url, result } = await listen(['--secret', SECRET, '--forward-to', forward, '--exit-after', '1']);
    await send(url, 'del_down');
    const { code, stderr } = await result;
    expect(code).toBe(1);
    expect(stderr).toMatch(
      new RegExp(`1 delivery verified, but your app at ${forward} could not be reached \\(.+\\) to all of them`),
    );
  });
});

describe('listen --events', () => {
  it('accepts only those events: others are answered 200, stored as ignored, not forwarded, not counted', async () => {
    const target = await startApp(200);
    const store = join(dir, 'events.jsonl');
    const readyFile = join(dir, 'ready-events');
    const result = run(dir, [
      'listen',
      '--port',
      '0',
      '--store',
      store,
      '--ready-file',
      readyFile,
      '--secret',
      SECRET,
      '--events',
      'render.*',
      '--forward-to',
      `http://127.0.0.1:${target.port}/app`,
      '--exit-after',
      '1',
    ]);
    const url = await waitForFile(readyFile);
    const batch = await postDelivery(url, signedSample('batch.completed', { nowMs: FIXED_NOW, deliveryId: 'del_b' }));
    expect(batch.status).toBe(200);
    expect(batch.body).toContain('"ignored":true');
    expect(target.hits).toEqual([]);
    const render = await postDelivery(url, signedSample('render.failed', { nowMs: FIXED_NOW, deliveryId: 'del_r' }));
    expect(render.status).toBe(200);
    const { code, stdout, stderr } = await result;
    expect(code, stderr).toBe(0);
    expect(target.hits).toEqual(['/app']);
    expect(stdout).toMatch(/✓ ignored\s+batch\.completed\s+del_b\s+200/);
    expect(stderr).toContain('only render.*');
    const records = readFileSync(store, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(records.map((r) => [r.deliveryId, r.verdict.ignored ?? false, r.forward === null])).toEqual([
      ['del_b', true, true],
      ['del_r', false, false],
    ]);
  });

  it('a glob or name that matches no event is a usage error (exit 2), before anything listens', async () => {
    const glob = await run(dir, ['listen', '--port', '0', '--secret', SECRET, '--events', 'rendr.*']);
    expect(glob.code).toBe(2);
    expect(glob.stderr).toContain('--events: "rendr.*" matches no event');
    const name = await run(dir, ['listen', '--port', '0', '--secret', SECRET, '--events', 'render.completed,nope']);
    expect(name.code).toBe(2);
    expect(name.stderr).toContain('nope');
  });
});
