// The built CLI as a developer and a CI job use it: listen in one process, deliveries from another, then
// events/replay against what was stored. Also the durability promise: SIGKILL right after a 200 loses nothing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { postDelivery } from '../../src/outbound/post.js';
import { EVENT_NAMES } from '../../src/events/index.js';
import { startWithReadyFile, useBinSandbox } from '../helpers/bin.js';
import { signedSample, startApp } from '../unit/receiver/deliver.js';

const SECRET = 'whsec_x';

const { dir, cli } = useBinSandbox();

const spawnCli = (args: string[]) => cli.spawn(args);
const startListen = (args: string[]) => startWithReadyFile(cli, ['listen', '--port', '0', ...args], dir);

function storedRecords() {
  return readFileSync(join(dir, 'events.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l));
}

describe('pictify-hooks listen (built bin)', () => {
  it('--exit-after 6 with one delivery of each event: exits 0, shows and stores six verified events; events list and replay work', async () => {
    const listen = await startListen(['--secret', SECRET, '--exit-after', '6', '--timeout', '20s']);
    for (const event of EVENT_NAMES) {
      const res = await postDelivery(
        `${listen.url}/webhooks/pictify`,
        signedSample(event, { nowMs: Date.now(), secret: SECRET }),
      );
      expect(res.status).toBe(200);
    }
    const result = await listen.done;
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/Ready: listening on http:\/\/127\.0\.0\.1:\d+ — secrets: 1/);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(6);
    for (const [i, event] of EVENT_NAMES.entries())
      expect(lines[i]).toMatch(new RegExp(`✓\\s+${event.replace('.', '\\.')}\\s+del_\\w+\\s+200`));
    expect(storedRecords().map((r) => [r.event, r.verdict.ok])).toEqual(EVENT_NAMES.map((e) => [e, true]));

    const list = spawnCli(['events', 'list']);
    const listed = await list.done;
    expect(listed.code).toBe(0);
    expect(listed.stdout.trim().split('\n')).toHaveLength(7);

    // A fresh receiver (no store, so no memory of these delivery ids): the replay is new to it and counts.
    const again = await startListen(['--secret', SECRET, '--no-store', '--exit-after', '1', '--timeout', '20s']);
    const replay = await spawnCli(['replay', storedRecords()[0].id, '--to', again.url, '--secret', SECRET]).done;
    expect(replay.code).toBe(0);
    expect(replay.stdout).toMatch(/✓ evt_\w+\s+render\.completed\s+del_\w+\s+→ 200/);
    expect((await again.done).code).toBe(0);
  });

  it('SIGKILL right after a 200: the delivery is already in the store', async () => {
    const listen = await startListen(['--secret', SECRET]);
    const res = await postDelivery(
      listen.url,
      signedSample('render.completed', { nowMs: Date.now(), secret: SECRET, deliveryId: 'del_killed' }),
    );
    expect(res.status).toBe(200);
    listen.child.kill('SIGKILL');
    const result = await listen.done;
    expect(result.signal).toBe('SIGKILL');
    expect(storedRecords().map((r) => r.deliveryId)).toEqual(['del_killed']);
  });

  it('SIGINT finishes the in-flight delivery, flushes, exits 130; SIGTERM exits 0', async () => {
    const slowApp = await startApp(() => ({ status: 200, body: '{"app":true}', delayMs: 500 }));
    try {
      const listen = await startListen(['--secret', SECRET, '--forward-to', slowApp.url]);
      const pending = postDelivery(
        listen.url,
        signedSample('render.failed', { nowMs: Date.now(), secret: SECRET, deliveryId: 'del_inflight' }),
      );
      // Wait until the app has the forwarded request, i.e. the delivery is in flight inside listen.
      for (let i = 0; i < 200 && slowApp.requests.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(slowApp.requests).toHaveLength(1);
      listen.child.kill('SIGINT');
      const answer = await pending;
      expect(answer.status).toBe(200);
      expect(answer.body).toBe('{"app":true}');
      const result = await listen.done;
      expect(result.code).toBe(130);
      expect(result.stderr).toMatch(/Stopped: 1 delivery \(1 verified/);
      expect(result.stderr).not.toMatch(/error:/);
      expect(storedRecords().map((r) => [r.deliveryId, r.forward.status])).toEqual([['del_inflight', 200]]);
    } finally {
      await slowApp.close();
    }

    const second = await startListen(['--secret', SECRET, '--no-store']);
    second.child.kill('SIGTERM');
    expect((await second.done).code).toBe(0);
  });

  it('--timeout without the condition met exits 1', async () => {
    const listen = await startListen(['--secret', SECRET, '--wait-for', 'batch.failed', '--timeout', '500ms']);
    const result = await listen.done;
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/timed out after 500ms: no verified batch\.failed arrived/);
  });
});
