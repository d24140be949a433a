// `replay` against a listen-like receiver in-process: re-signed or as-is, where it goes (never the stored Host), what
// it refuses, and what --all asks before sending.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { buildDelivery } from '../../src/outbound/build.js';
import { postDelivery } from '../../src/outbound/post.js';
import { startReceiver, type RunningReceiver } from '../../src/receiver/index.js';
import { EventStore } from '../../src/store/event-store.js';
import { readEventStore } from '../../src/store/event-store-read.js';
import type { EventRecord } from '../../src/store/event-store-record.js';
import { FIXED_NOW, run, useConfigDir } from '../helpers/cli.js';
import { SECRET, rawRequest, signedSample, startApp } from '../unit/receiver/deliver.js';
import { startReferenceReceiver, type ReferenceReceiver } from '../helpers/reference-receiver.js';
import { flagSource, subscriptionSource } from '../../src/signing/secret-source.js';

let clock: number;
let store: EventStore;
let receiver: RunningReceiver;
const apps: Array<{ close(): Promise<void> }> = [];
const dir = useConfigDir({
  beforeRemove: async () => {
    await receiver.close();
    await store.close();
    await Promise.all(apps.splice(0).map((a) => a.close()));
  },
});

/** A listen-like receiver with a movable clock, storing into the default store of the config dir. */
beforeEach(async () => {
  clock = FIXED_NOW;
  store = await EventStore.open(join(dir, 'events.jsonl'));
  receiver = await startReceiver({
    port: 0,
    secrets: [
      { secret: SECRET, source: subscriptionSource('wh_1') },
      { secret: 'whsec_flag', source: flagSource() },
    ],
    store,
    now: () => clock,
  });
  expect((await run(dir, ['secrets', 'set', 'wh_1', SECRET])).code).toBe(0);
});

/** A server that answers every request with a 307 to `location`. */
async function startRedirect(location: string): Promise<ReferenceReceiver> {
  const redirect = await startReferenceReceiver({
    path: '/hooks',
    answer: { status: 307, body: '', headers: { location } },
  });
  apps.push(redirect);
  return redirect;
}

async function records(): Promise<EventRecord[]> {
  await store.flush();
  return (await readEventStore(join(dir, 'events.jsonl'))).records;
}

async function deliver(
  event: Parameters<typeof signedSample>[0],
  options: { deliveryId: string; secret?: string; body?: string | Buffer },
) {
  const res = await postDelivery(receiver.url, signedSample(event, { nowMs: clock, ...options }));
  return res.status;
}

describe('replay', () => {
  it('re-signs with a fresh timestamp and the verifying secret: accepted, same delivery id (a duplicate)', async () => {
    expect(await deliver('render.completed', { deliveryId: 'del_r1' })).toBe(200);
    const [original] = await records();
    clock = FIXED_NOW + 3_600_000; // an hour later: the original signature is long stale
    const { code, stdout, stderr } = await run(dir, ['replay', original.id, '--to', receiver.url], { now: clock });
    expect({ code, stderr }).toMatchObject({ code: 0 });
    expect(stdout).toMatch(
      new RegExp(
        `✓ ${original.id}\\s+render\\.completed\\s+del_r1\\s+→ 200\\s+\\d+ ms\\s+\\(re-signed with the secret of wh_1\\)`,
      ),
    );
    const after = await records();
    expect(after).toHaveLength(2);
    expect(after[1]).toMatchObject({
      deliveryId: 'del_r1',
      status: 200,
      verdict: { ok: true, duplicate: true, matchedLabel: 'wh_1' },
    });
    expect(after[1].body).toBe(original.body);
    const t = Number(/t=(\d+)/.exec(String(after[1].headers['x-pictify-signature']))?.[1]);
    expect(t).toBe(Math.floor(clock / 1000));
  });

  it('--as-is resends the original headers: rejected 401 once past the tolerance, exit 1', async () => {
    await deliver('render.completed', { deliveryId: 'del_stale' });
    const [original] = await records();
    clock = FIXED_NOW + 301_000;
    const { code, stdout, stderr } = await run(dir, ['replay', original.id, '--as-is', '--to', receiver.url], {
      now: clock,
    });
    expect(code).toBe(1);
    expect(stdout).toMatch(/✗ evt_\w+\s+render\.completed\s+del_stale\s+→ 401 .*\(as-is\).*timestamp_too_old/);
    expect(stderr).toMatch(/error: 1 of 1 replay was not accepted/);
    const after = await records();
    expect(after[1].headers['x-pictify-signature']).toBe(original.headers['x-pictify-signature']);
    expect(after[1].verdict.reason).toBe('timestamp_too_old');
  });

  it('without --to it goes to the forward target listen recorded, never to the stored Host', async () => {
    const app = await startApp(() => ({ status: 202 }));
    apps.push(app);
    const forwarding = await startReceiver({
      port: 0,
      secrets: [{ secret: SECRET, source: subscriptionSource('wh_1') }],
      store,
      forwardTo: `${app.url}/webhooks`,
      now: () => clock,
    });
    try {
      const sample = signedSample('render.failed', { nowMs: clock, deliveryId: 'del_fwd' });
      expect((await postDelivery(forwarding.url, sample)).status).toBe(202);
      expect(app.requests).toHaveLength(1);
      const { code, stdout, stderr } = await run(dir, ['replay', 'del_fwd']);
      expect({ code, stderr }).toMatchObject({ code: 0 });
      expect(stdout).toMatch(/→ 202/);
      expect(app.requests.map((r) => r.url)).toEqual(['/webhooks', '/webhooks']);
    } finally {
      await forwarding.close();
    }
  });

  it.each(['127.1', '2130706433', 'evil@127.0.0.1', 'localhost'])(
    'a stored Host of %s:<another service> is not a target: --to is required (exit 2), nothing is sent',
    async (host) => {
      const victim = await startApp(() => ({ status: 200 }));
      apps.push(victim);
      const port = new URL(victim.url).port;
      const sample = signedSample('render.completed', { nowMs: clock, deliveryId: `del_host_${host.length}` });
      const answer = await rawRequest(`${receiver.url}/x/../admin`, {
        headers: { ...sample.headers, host: `${host}:${port}` },
        body: sample.body,
      });
      expect(answer.status).toBe(200);
      const { code, stderr } = await run(dir, ['replay', `del_host_${host.length}`]);
      expect(code).toBe(2);
      expect(stderr).toMatch(/where should evt_\w+ go\? listen did not forward it anywhere — pass --to <url>/);
      expect(victim.requests).toEqual([]);
    },
  );

  it('--to: the path is sent exactly as written (no ".." resolution), as the target server sees it', async () => {
    const app = await startApp(() => ({ status: 200 }));
    apps.push(app);
    expect(await deliver('render.completed', { deliveryId: 'del_path' })).toBe(200);
    for (const path of ['/x/../admin', '/a/./b/%2e%2e/c?q=1', '//double']) {
      const { code } = await run(dir, ['replay', 'del_path', '--to', `${app.url}${path}`]);
      expect(code).toBe(0);
    }
    const loopback = app.url.replace('http://', '');
    expect((await run(dir, ['replay', 'del_path', '--to', `${loopback}/y/../z`])).code).toBe(0);
    expect(app.requests.map((r) => r.url)).toEqual(['/x/../admin', '/a/./b/%2e%2e/c?q=1', '//double', '/y/../z']);
  });

  it('does not follow a redirect to another origin: the 307 is the answer, exit 1', async () => {
    const other = await startApp(() => ({ status: 200 }));
    apps.push(other);
    const redirecting = await startRedirect(`${other.url}/stolen`);
    expect(await deliver('render.completed', { deliveryId: 'del_redirect' })).toBe(200);
    const { code, stdout } = await run(dir, ['replay', 'del_redirect', '--to', redirecting.url]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/→ 307/);
    expect(redirecting.received).toHaveLength(1);
    expect(other.requests).toEqual([]);
  });

  it('a stored value with CR/LF is refused before anything is sent (exit 2): as-is and re-signed', async () => {
    const app = await startApp(() => ({ status: 200 }));
    apps.push(app);
    expect(await deliver('render.completed', { deliveryId: 'del_inject' })).toBe(200);
    const file = join(dir, 'events.jsonl');
    await store.flush();
    const [line] = readFileSync(file, 'utf8').trim().split('\n');
    const record = JSON.parse(line) as EventRecord;
    record.headers['x-pictify-event'] = 'render.completed\r\nX-Injected: 1';
    writeFileSync(file, `${JSON.stringify(record)}\n`);
    const asIs = await run(dir, ['replay', record.id, '--as-is', '--to', app.url]);
    expect(asIs.code).toBe(2);
    expect(asIs.stderr).toContain(
      `${record.id}'s stored x-pictify-event header: the x-pictify-event header value contains a control character ` +
        '(U+000D',
    );
    const resigned = await run(dir, ['replay', record.id, '--to', app.url]);
    expect(resigned.code).toBe(2);
    expect(resigned.stderr).toContain(
      `${record.id}'s stored event: the X-Pictify-Event header value contains a control character`,
    );
    expect(app.requests).toEqual([]);
  });

  it('README flow: listen --secret, then replay --to with the same --secret (listen keeps none)', async () => {
    const app = await startApp(() => ({ status: 200 }));
    apps.push(app);
    const req = signedSample('render.completed', { nowMs: clock, deliveryId: 'del_readme', secret: 'whsec_flag' });
    expect((await postDelivery(receiver.url, req)).status).toBe(200);
    const without = await run(dir, ['replay', 'del_readme', '--to', app.url]);
    expect(without.code).toBe(2);
    expect(without.stderr).toContain(
      'listen does not keep secrets given with --secret: pass the same --secret to replay',
    );
    const withSecret = await run(dir, ['replay', 'del_readme', '--to', app.url, '--secret', 'whsec_flag']);
    expect(withSecret.code).toBe(0);
    expect(app.requests).toHaveLength(1);
  });

  it('resends the exact bytes, also for a body that is not UTF-8', async () => {
    const target = await startApp(() => ({ status: 204 }));
    apps.push(target);
    const binary = Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
    await deliver('render.completed', { deliveryId: 'del_bin', body: binary });
    const [original] = await records();
    expect(original.bodyEncoding).toBe('base64');
    // It verified (then failed JSON parsing), so it was never "ok": re-signing it needs an explicit secret.
    expect((await run(dir, ['replay', original.id, '--to', target.url])).code).toBe(2);
    const { code } = await run(dir, ['replay', original.id, '--to', target.url, '--secret', SECRET]);
    expect(code).toBe(0);
    expect(target.requests[0].body.equals(binary)).toBe(true);
  });

  it('falls back to PICTIFY_WEBHOOK_SECRET when the verifying secret is not stored (it came from a flag)', async () => {
    const req = buildDelivery({
      body: JSON.stringify({ event: 'render.failed', timestamp: '2026-11-26T12:00:00Z', data: { error: 'x' } }),
      secret: 'whsec_flag',
      timestamp: Math.floor(clock / 1000),
      event: 'render.failed',
      deliveryId: 'del_flag',
    });
    expect((await postDelivery(receiver.url, req)).status).toBe(200);
    const without = await run(dir, ['replay', 'del_flag', '--to', receiver.url]);
    expect(without.code).toBe(2);
    expect(without.stderr).toMatch(
      /no secret to re-sign evt_\w+ with \(it was verified with --secret given to listen\)/,
    );
    const withEnv = await run(dir, ['replay', 'del_flag', '--to', receiver.url], {
      env: { PICTIFY_WEBHOOK_SECRET: 'whsec_flag' },
    });
    expect(withEnv.code).toBe(0);
    expect(withEnv.stdout).toMatch(/re-signed with PICTIFY_WEBHOOK_SECRET/);
  });

  it('--all replays every verified delivery, oldest first; --since narrows it; any non-2xx exits 1', async () => {
    const target = await startApp(({ body }) => ({ status: body.includes('render.failed') ? 500 : 200 }));
    apps.push(target);
    await deliver('render.completed', { deliveryId: 'del_old' });
    clock = FIXED_NOW + 7_200_000;
    await deliver('render.failed', { deliveryId: 'del_new' });
    await deliver('batch.completed', { deliveryId: 'del_forged', secret: 'whsec_wrong' });
    const all = await run(dir, ['replay', '--all', '--to', target.url, '--json'], { now: clock });
    expect(all.code).toBe(1);
    const lines = all.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.deliveryId, l.status, l.ok])).toEqual([
      ['del_old', 200, true],
      ['del_new', 500, false],
    ]);
    const recent = await run(dir, ['replay', '--all', '--since', '1h', '--to', target.url, '--json'], { now: clock });
    expect(
      recent.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).deliveryId),
    ).toEqual(['del_new']);
  });

  it('--all says what it leaves out: rejected ones (counted), earlier replays of a delivery (unless --include-replays)', async () => {
    await deliver('render.completed', { deliveryId: 'del_a' });
    await deliver('render.failed', { deliveryId: 'del_forged', secret: 'whsec_wrong' });
    // del_a replayed back into the receiver: the store now holds it twice.
    expect((await run(dir, ['replay', 'del_a', '--to', receiver.url], { now: clock })).code).toBe(0);
    await store.flush();
    const before = receiver.stats.received;
    const asked: string[] = [];
    const tty = { stdinIsTTY: true, stderrIsTTY: true, now: clock };
    const r = await run(dir, ['replay', '--all', '--to', receiver.url], {
      ...tty,
      confirm: async (q) => (asked.push(q), true),
    });
    const skipped =
      '1 rejected one skipped (--as-is sends them), 1 earlier replay of the same delivery not sent again ' +
      '(--include-replays)';
    expect(asked).toEqual([`Replay 1 delivery to ${receiver.url}/; ${skipped}?`]);
    const plain = r.stderr.replace(/\x1b\[[0-9;]*m/g, '');
    expect({ code: r.code, stderr: plain }).toEqual({ code: 0, stderr: `Replayed 1 delivery; ${skipped}.\n` });
    expect(receiver.stats.received).toBe(before + 1);
    const every = await run(dir, ['replay', '--all', '--include-replays', '--dry-run', '--to', receiver.url]);
    expect(every.stdout.match(/del_a/g)).toHaveLength(3);
    expect(every.stderr).toBe(
      'Dry run: 3 deliveries would be sent; 1 rejected one skipped (--as-is sends them); nothing was.\n',
    );
  });

  it('refuses to re-sign a delivery that never verified unless asked', async () => {
    await deliver('render.completed', { deliveryId: 'del_forged', secret: 'whsec_wrong' });
    const { code, stderr } = await run(dir, ['replay', 'del_forged', '--to', receiver.url]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/never verified \(signature_mismatch\).*--as-is/);
  });

  it('usage errors exit 2', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['replay'], /give event ids or --all/],
      [['replay', 'x', '--all'], /not both/],
      [['replay', 'x', '--since', '1h'], /--since works with --all/],
      [['replay', 'x', '--include-replays'], /--include-replays works with --all/],
      [['replay', 'x', '--as-is', '--secret', 's'], /cannot be combined/],
      [['replay', '--all', '--since', 'yesterday'], /--since: invalid time/],
      [['replay', '--all', '--to', 'ftp://x'], /only http and https/],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = await run(dir, args);
      expect({ args, code }).toEqual({ args, code: 2 });
      expect(stderr).toMatch(message);
    }
  });

  it('an unknown id is a missing local item: exit 1', async () => {
    const { code, stderr } = await run(dir, ['replay', 'evt_missing00000', '--to', 'http://127.0.0.1:9']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/no event "evt_missing00000"/);
  });
});

// replay --all says what it is about to do: it asks on a terminal, needs --yes without one beyond 10 deliveries,
// and --dry-run lists what would go where without sending anything.
describe('replay --all confirmation', () => {
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
