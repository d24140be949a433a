import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { postDelivery } from '../../src/outbound/post.js';
import { startReceiver } from '../../src/receiver/index.js';
import { EventStore } from '../../src/store/event-store.js';
import { FIXED_NOW, run, useConfigDir } from '../helpers/cli.js';
import { SECRET, signedSample } from '../unit/receiver/deliver.js';
import { expectNoRawControls, HOSTILE } from '../helpers/hostile.js';
import { subscriptionSource } from '../../src/signing/secret-source.js';

const dir = useConfigDir();

/** Stores what `deliver` sends to a real receiver (verifying with SECRET) into `file`. */
async function receiveInto(file: string, deliver: (url: string) => Promise<void>) {
  const store = await EventStore.open(file);
  const receiver = await startReceiver({
    port: 0,
    secrets: [{ secret: SECRET, source: subscriptionSource('wh_1') }],
    store,
    now: () => FIXED_NOW,
  });
  await deliver(receiver.url);
  await receiver.close();
  await store.close();
  return file;
}

/** Fills the default store through a real receiver: render.completed, a forged render.failed, batch.completed. */
function fill(file = join(dir, 'events.jsonl')) {
  return receiveInto(file, async (url) => {
    await postDelivery(url, signedSample('render.completed', { nowMs: FIXED_NOW, deliveryId: 'del_first' }));
    await postDelivery(
      url,
      signedSample('render.failed', { nowMs: FIXED_NOW, deliveryId: 'del_forged', secret: 'whsec_wrong' }),
    );
    await postDelivery(url, signedSample('batch.completed', { nowMs: FIXED_NOW, deliveryId: 'del_last' }));
  });
}

describe('events list', () => {
  it('lists newest first with id, time, event, verdict and delivery id', async () => {
    await fill();
    const { code, stdout } = await run(dir, ['events', 'list']);
    expect(code).toBe(0);
    const [head, ...rows] = stdout.trim().split('\n');
    expect(head).toMatch(/^ID\s+TIME\s+EVENT\s+VERDICT\s+DELIVERY ID$/);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatch(/^evt_\w+\s+2026-11-26T12:00:00Z\s+batch\.completed\s+✓\s+del_last$/);
    expect(rows[1]).toMatch(/render\.failed\s+✗ signature_mismatch\s+del_forged$/);
    expect(rows[2]).toMatch(/render\.completed\s+✓\s+del_first$/);
  });

  it('filters by --event (a glob works) and --limit, and says when it cut the list', async () => {
    await fill();
    const filtered = await run(dir, ['events', 'list', '--event', 'render.*']);
    expect(filtered.stdout).not.toContain('batch.completed');
    expect(filtered.stdout.trim().split('\n')).toHaveLength(3);
    const limited = await run(dir, ['events', 'list', '--limit', '1']);
    expect(limited.stdout.trim().split('\n')).toHaveLength(2);
    expect(limited.stderr).toMatch(/Showing the newest 1 of 3/);
  });

  it('--json is one array document', async () => {
    await fill();
    const { stdout } = await run(dir, ['events', 'list', '--json']);
    const list = JSON.parse(stdout);
    expect(list.map((e: { deliveryId: string }) => e.deliveryId)).toEqual(['del_last', 'del_forged', 'del_first']);
    expect(list[1].verdict).toMatchObject({ ok: false, reason: 'signature_mismatch' });
  });

  it('says so, and exits 0, when nothing is stored yet', async () => {
    const { code, stdout, stderr } = await run(dir, ['events', 'list']);
    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/No events yet/);
    expect(JSON.parse((await run(dir, ['events', 'list', '--json'])).stdout)).toEqual([]);
  });

  it('skips a torn last line with a warning, never a crash', async () => {
    const file = await fill();
    appendFileSync(file, '{"id":"evt_torn","rece');
    const { code, stdout, stderr } = await run(dir, ['events', 'list']);
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(4);
    expect(stderr).toMatch(/warning: skipped 1 unreadable line/);
  });

  it('reads --store <file>', async () => {
    const file = await fill(join(dir, 'elsewhere.jsonl'));
    expect((await run(dir, ['events', 'list', '--store', file])).stdout).toContain('del_first');
  });
});

describe('events show', () => {
  it('shows headers, the pretty body and the verdict, by id or delivery id', async () => {
    await fill();
    const list = JSON.parse((await run(dir, ['events', 'list', '--json'])).stdout);
    const { code, stdout } = await run(dir, ['events', 'show', list[2].id]);
    expect(code).toBe(0);
    expect(stdout).toContain(list[2].id);
    expect(stdout).toMatch(/event: render\.completed\s+delivery id: del_first\s+answered: 200/);
    expect(stdout).toMatch(/verdict: ✓/);
    expect(stdout).toMatch(/verified with: wh_1/);
    expect(stdout).toMatch(/x-pictify-signature: t=\d+,v1=[0-9a-f]{64}/);
    expect(stdout).toContain('  "event": "render.completed",');
    const byDelivery = await run(dir, ['events', 'show', 'del_forged']);
    expect(byDelivery.stdout).toMatch(/verdict: ✗ signature_mismatch — no v1 signature matches/);
  });

  it('--json gives the record with the parsed payload', async () => {
    await fill();
    const { stdout } = await run(dir, ['events', 'show', 'del_last', '--json']);
    const record = JSON.parse(stdout);
    expect(record).toMatchObject({
      deliveryId: 'del_last',
      bodyEncoding: 'utf8',
      payload: { event: 'batch.completed' },
    });
  });

  it('a body that is not JSON is shown as text, its control characters escaped and its lines kept', async () => {
    const body = Buffer.from(`not json ${HOSTILE}\nsecond line`, 'utf8');
    const headers = { 'content-type': 'application/json', 'x-pictify-delivery-id': 'del_text' };
    await receiveInto(join(dir, 'events.jsonl'), async (url) => {
      expect((await postDelivery(url, { body, headers })).status).toBe(400);
    });
    const { code, stdout } = await run(dir, ['events', 'show', 'del_text']);
    expect(code).toBe(0);
    expectNoRawControls(stdout, 'events show');
    expect(stdout).toContain('not json \\x1b]0;pwned\\x07 \\x1b[2J \\x9b2J \\x07 \\u202e \\x7f\nsecond line');
  });

  it('an unknown id is a missing local item: exit 1', async () => {
    await fill();
    const { code, stderr } = await run(dir, ['events', 'show', 'evt_doesnotexist']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/no event "evt_doesnotexist".*events list/);
  });
});
