// replay --all says what it is about to do: it asks on a terminal, needs --yes without one beyond 10 deliveries,
// and --dry-run lists what would go where without sending anything.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { postDelivery } from '../../src/outbound/post.js';
import { startReceiver, type RunningReceiver } from '../../src/receiver/index.js';
import { EventStore } from '../../src/store/event-store.js';
import { FIXED_NOW, run, tempConfigDir } from '../helpers/cli.js';
import { SECRET, signedSample } from '../unit/receiver/deliver.js';
import { subscriptionSource } from '../../src/signing/secret-source.js';

let dir: string;
let cleanup: () => void;
let store: EventStore;
let receiver: RunningReceiver;
beforeEach(async () => {
  ({ dir, cleanup } = tempConfigDir());
  store = await EventStore.open(join(dir, 'events.jsonl'));
  receiver = await startReceiver({
    port: 0,
    secrets: [{ secret: SECRET, source: subscriptionSource('wh_1') }],
    store,
    now: () => FIXED_NOW,
  });
  expect((await run(dir, ['secrets', 'set', 'wh_1', SECRET])).code).toBe(0);
});
afterEach(async () => {
  await receiver.close();
  await store.close();
  cleanup();
});

async function deliverMany(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const res = await postDelivery(
      receiver.url,
      signedSample('render.completed', { nowMs: FIXED_NOW, deliveryId: `del_${i}` }),
    );
    expect(res.status).toBe(200);
  }
  await store.flush();
}

const received = () => receiver.stats.received;

describe('replay --all confirmation', () => {
  it('without a terminal, more than 10 deliveries need --yes (exit 2, nothing sent)', async () => {
    await deliverMany(11);
    const before = received();
    const r = await run(dir, ['replay', '--all', '--to', receiver.url], { now: FIXED_NOW });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('replay --all would send 11 deliveries to');
    expect(r.stderr).toContain('add --yes');
    expect(received()).toBe(before);
    const yes = await run(dir, ['replay', '--all', '--yes', '--to', receiver.url], { now: FIXED_NOW });
    expect(yes.code, yes.stderr).toBe(0);
    expect(received()).toBe(before + 11);
  });

  it('up to 10 go without asking when there is no terminal', async () => {
    await deliverMany(3);
    const r = await run(dir, ['replay', '--all', '--to', receiver.url], { now: FIXED_NOW });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('Replayed 3 deliveries.');
  });

  it('on a terminal it asks; declining sends nothing and exits 1', async () => {
    await deliverMany(2);
    const before = received();
    const asked: string[] = [];
    const tty = { stdinIsTTY: true, stderrIsTTY: true, now: FIXED_NOW };
    const no = await run(dir, ['replay', '--all', '--to', receiver.url], {
      ...tty,
      confirm: async (q) => (asked.push(q), false),
    });
    expect(no.code).toBe(1);
    expect(asked).toEqual([`Replay 2 deliveries to ${receiver.url}/?`]);
    expect(no.stderr).toContain('Nothing replayed');
    expect(received()).toBe(before);
    const yes = await run(dir, ['replay', '--all', '--to', receiver.url], { ...tty, confirm: async () => true });
    expect(yes.code, yes.stderr).toBe(0);
    expect(received()).toBe(before + 2);
  });

  it('--dry-run lists each delivery and its target, sends nothing (text and --json)', async () => {
    await deliverMany(12);
    const before = received();
    const r = await run(dir, ['replay', '--all', '--dry-run', '--to', receiver.url], { now: FIXED_NOW });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(12);
    expect(lines[0]).toMatch(
      new RegExp(`^evt_\\w+  render\\.completed  del_\\d+  → ${receiver.url}/  \\(re-signed\\)$`),
    );
    expect(r.stderr).toContain('Dry run: 12 deliveries would be sent; nothing was.');
    const json = await run(dir, ['--json', 'replay', '--all', '--dry-run', '--as-is', '--to', receiver.url], {
      now: FIXED_NOW,
    });
    const list = JSON.parse(json.stdout);
    expect(list).toHaveLength(12);
    expect(list[0]).toMatchObject({ event: 'render.completed', mode: 'as-is', to: `${receiver.url}/` });
    expect(received()).toBe(before);
  });
});
