import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { postDelivery } from '../../src/outbound/post.js';
import { FIXED_NOW, run, runWithSignals, useConfigDir, type RunOptions } from '../helpers/cli.js';
import { SECRET, signedSample, waitForFile } from '../unit/receiver/deliver.js';
import { closedPort, startReferenceReceiver, type ReferenceReceiver } from '../helpers/reference-receiver.js';
import { expectNoRawControls, HOSTILE } from '../helpers/hostile.js';

const dir = useConfigDir();

/** Starts `listen` in-process and returns its url once the ready file is there. */
async function listen(args: string[], options: RunOptions = {}) {
  const readyFile = join(dir, `ready-${Math.random().toString(36).slice(2)}`);
  const result = run(dir, ['listen', '--port', '0', '--ready-file', readyFile, ...args], options);
  const url = await Promise.race([
    waitForFile(readyFile),
    result.then((r) => Promise.reject(new Error(`listen exited ${r.code}: ${r.stderr}`))),
  ]);
  return { url, result, readyFile };
}

const apps: ReferenceReceiver[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

/** A stand-in for the user's app: the reference receiver, answering every request with `status`. */
async function startApp(status: number): Promise<ReferenceReceiver> {
  const app = await startReferenceReceiver({ answer: status });
  apps.push(app);
  return app;
}
const hitsOf = (app: ReferenceReceiver) => app.received.map((r) => r.url);

/** listen with SECRET and no store, forwarding verified deliveries to `target`. */
const listenForwarding = (target: string, args: string[]) =>
  listen(['--no-store', '--secret', SECRET, '--forward-to', target, ...args]);

const send = (url: string, id: string) =>
  postDelivery(url, signedSample('render.completed', { nowMs: FIXED_NOW, deliveryId: id }));

function stored(file = join(dir, 'events.jsonl')) {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
}

describe('listen', () => {
  it('--exit-after n exits 0 after n verified deliveries, one plain line each when stdout is not a TTY', async () => {
    const { url, result, readyFile } = await listen(['--secret', SECRET, '--exit-after', '2', '--timeout', '20s']);
    const bad = await postDelivery(
      url,
      signedSample('render.completed', { nowMs: FIXED_NOW, secret: 'whsec_wrong', deliveryId: 'del_bad' }),
    );
    expect(bad.status).toBe(401);
    await send(url, 'del_one');
    await postDelivery(url, signedSample('render.failed', { nowMs: FIXED_NOW, deliveryId: 'del_two' }));
    const { code, stdout, stderr } = await result;
    expect(code).toBe(0);
    expect(stderr).toMatch(/^Ready: listening on http:\/\/127\.0\.0\.1:\d+ — secrets: 1 \(flag\)\n/);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/✗ signature_mismatch\s+render\.completed\s+del_bad\s+401/);
    expect(lines[1]).toMatch(
      /✓\s+render\.completed\s+del_one\s+200\s+url=https:\/\/cdn\.pictify\.io\/\S+ size=1200x630/,
    );
    expect(lines[2]).toMatch(
      /✓\s+render\.failed\s+del_two\s+200\s+error=Template not found errorCode=TEMPLATE_NOT_FOUND/,
    );
    expect(stdout).not.toMatch(/\x1b\[/);
    expect(stderr).toMatch(/Stopped: 3 deliveries \(2 verified, 1 rejected, 0 duplicate\)/);
    expect(stored().map((r) => r.deliveryId)).toEqual(['del_bad', 'del_one', 'del_two']);
    expect(existsSync(readyFile)).toBe(false);
  });

  it('--json prints NDJSON, one object per delivery and nothing else on stdout', async () => {
    const { url, result } = await listen(['--secret', SECRET, '--exit-after', '1', '--json']);
    await postDelivery(url, signedSample('batch.completed', { nowMs: FIXED_NOW, deliveryId: 'del_json' }));
    const { code, stdout } = await result;
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]);
    expect(line).toMatchObject({
      event: 'batch.completed',
      deliveryId: 'del_json',
      status: 200,
      verdict: { ok: true, matchedLabel: 'flag' },
    });
    expect(line.id).toMatch(/^evt_/);
    expect(line.payload.data.batchId).toBe('batch_abc123');
  });

  it('colours the line on a TTY', async () => {
    const { url, result } = await listen(['--secret', SECRET, '--exit-after', '1'], { stdoutIsTTY: true });
    await postDelivery(url, signedSample('binding.updated', { nowMs: FIXED_NOW }));
    const { stdout } = await result;
    expect(stdout).toMatch(/\x1b\[32m✓/);
    expect(stdout).toMatch(/binding=\S+ change=/);
  });

  it('--wait-for exits 0 when that event arrives', async () => {
    const { url, result } = await listen(['--secret', SECRET, '--wait-for', 'render.failed', '--timeout', '20s']);
    await postDelivery(url, signedSample('render.completed', { nowMs: FIXED_NOW }));
    await postDelivery(url, signedSample('render.failed', { nowMs: FIXED_NOW }));
    const { code } = await result;
    expect(code).toBe(0);
    expect(stored().map((r) => r.event)).toEqual(['render.completed', 'render.failed']);
  });

  it('--timeout exits 1 when the condition has not happened in time', async () => {
    const { url, result } = await listen(['--secret', SECRET, '--exit-after', '3', '--timeout', '400ms']);
    await postDelivery(url, signedSample('render.completed', { nowMs: FIXED_NOW }));
    const { code, stderr } = await result;
    expect(code).toBe(1);
    expect(stderr).toMatch(/error: timed out after 400ms: 1 of 3 verified deliveries arrived/);
  });

  it('verifies with every stored secret when no --secret is given, and names the subscription that matched', async () => {
    expect((await run(dir, ['secrets', 'set', 'wh_a', 'whsec_aaa'])).code).toBe(0);
    expect((await run(dir, ['secrets', 'set', 'wh_b', 'whsec_bbb'])).code).toBe(0);
    const { url, result } = await listen(['--exit-after', '1', '--no-store']);
    await postDelivery(url, signedSample('render.completed', { nowMs: FIXED_NOW, secret: 'whsec_bbb' }));
    const { code, stdout, stderr } = await result;
    expect(code).toBe(0);
    expect(stderr).toMatch(/secrets: 2 \(wh_a, wh_b\)/);
    expect(stdout).toMatch(/secret=wh_b/);
    expect(stdout + stderr).not.toContain('whsec_bbb');
    expect(existsSync(join(dir, 'events.jsonl'))).toBe(false);
  });

  it('uses PICTIFY_WEBHOOK_SECRET and --store <file>', async () => {
    const file = join(dir, 'custom', 'store.jsonl');
    const { url, result } = await listen(['--exit-after', '1', '--store', file], {
      env: { PICTIFY_WEBHOOK_SECRET: SECRET },
    });
    await postDelivery(url, signedSample('render.completed', { nowMs: FIXED_NOW }));
    expect((await result).code).toBe(0);
    expect(stored(file)[0].verdict.matchedLabel).toBe('PICTIFY_WEBHOOK_SECRET');
  });

  it('only accepts --path when set', async () => {
    const { url, result } = await listen(['--secret', SECRET, '--path', '/webhooks/pictify', '--exit-after', '1']);
    expect(url).toMatch(/\/webhooks\/pictify$/);
    expect(
      (
        await postDelivery(
          url.replace('/webhooks/pictify', '/'),
          signedSample('render.completed', { nowMs: FIXED_NOW }),
        )
      ).status,
    ).toBe(404);
    expect((await postDelivery(url, signedSample('render.completed', { nowMs: FIXED_NOW }))).status).toBe(200);
    expect((await result).code).toBe(0);
  });

  it('with no secret anywhere it says so, rejects, and picks up a secret stored while listening', async () => {
    let clock = FIXED_NOW;
    const { url, result } = await listen(['--exit-after', '1', '--timeout', '20s'], { now: () => clock });
    const first = await send(url, 'del_early');
    expect(first.status).toBe(401);
    expect((await run(dir, ['secrets', 'set', 'wh_live', SECRET])).code).toBe(0);
    // Secrets are re-read at most once a second (of the injected clock), so a flood of bad deliveries cannot
    // hammer the config file.
    const tooSoon = await send(url, 'del_soon');
    expect(tooSoon.status).toBe(401);
    clock += 1100;
    const second = await send(url, 'del_late');
    expect(second.status).toBe(200);
    const { code, stdout, stderr } = await result;
    expect(code).toBe(0);
    expect(stderr).toMatch(/secrets: 0/);
    expect(stderr).toMatch(/no secrets yet: .*picked up while listening/);
    expect(stdout).toMatch(/✓\s+render\.completed\s+del_late\s+200 .*secret=wh_live/);
  });

  it('a delivery the store could not keep is answered 500 and does not count towards --exit-after; nor does a duplicate', async () => {
    const storeDir = join(dir, 'store');
    const { url, result } = await listen([
      '--secret',
      SECRET,
      '--store',
      join(storeDir, 'events.jsonl'),
      '--exit-after',
      '1',
      '--timeout',
      '1500ms',
    ]);
    // The folder replaced by a file: the store is gone and no new one can be made at its path (root included).
    rmSync(storeDir, { recursive: true });
    writeFileSync(storeDir, '');
    const first = await send(url, 'del_full');
    expect(first.status).toBe(500);
    expect(first.body).toMatch(/store_failed/);
    // The sender's retry is not mistaken for a duplicate of something that was never acknowledged.
    const retry = await send(url, 'del_full');
    expect(retry.status).toBe(500);
    const { code, stdout, stderr } = await result;
    expect(code).toBe(1);
    expect(stdout).toMatch(/✗ store_failed/);
    expect(stderr).toMatch(/2 NOT stored and answered 500/);
  });

  it("the store's unavailable, recovered and Stopped lines show a hostile store path escaped", async () => {
    const folder = join(dir, `store ${HOSTILE}`);
    mkdirSync(folder);
    const file = join(folder, 'events.jsonl');
    const { url, result } = await listen([
      '--secret',
      SECRET,
      '--store',
      file,
      '--exit-after',
      '2',
      '--timeout',
      '10s',
    ]);
    expect((await send(url, 'del_kept')).status).toBe(200);
    // A folder where the file was: the next write cannot open it.
    rmSync(file);
    mkdirSync(file);
    expect((await send(url, 'del_lost')).status).toBe(500);
    rmSync(file, { recursive: true });
    expect((await send(url, 'del_again')).status).toBe(200);
    const { code, stderr } = await result;
    expect(code).toBe(0);
    expectNoRawControls(stderr, 'listen stderr');
    const escaped = 'store \\x1b]0;pwned\\x07 \\x1b[2J \\x9b2J \\x07 \\u202e \\x7f';
    const lines = stderr.split('\n');
    expect(lines.find((l) => l.startsWith('store: could not write'))).toContain(escaped);
    expect(lines.find((l) => l.startsWith('store: writing to'))).toContain(escaped);
    expect(lines.find((l) => l.startsWith('Stopped:'))).toContain(escaped);
  });

  it('after a restart, a retry of a delivery acknowledged before is still recognised as a duplicate', async () => {
    const first = await listen(['--secret', SECRET, '--exit-after', '1', '--timeout', '10s']);
    expect(
      (await postDelivery(first.url, signedSample('render.completed', { nowMs: FIXED_NOW, deliveryId: 'del_before' })))
        .status,
    ).toBe(200);
    expect((await first.result).code).toBe(0);
    const second = await listen(['--secret', SECRET, '--exit-after', '1', '--timeout', '10s']);
    expect(
      (await postDelivery(second.url, signedSample('render.completed', { nowMs: FIXED_NOW, deliveryId: 'del_before' })))
        .status,
    ).toBe(200);
    expect(
      (await postDelivery(second.url, signedSample('render.failed', { nowMs: FIXED_NOW, deliveryId: 'del_after' })))
        .status,
    ).toBe(200);
    const { code, stdout } = await second.result;
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/✓ duplicate\s+render\.completed\s+del_before/);
    expect(lines[1]).toMatch(/✓\s+render\.failed\s+del_after/);
  });

  it('duplicates do not count towards --exit-after', async () => {
    const { url, result } = await listen([
      '--secret',
      SECRET,
      '--no-store',
      '--exit-after',
      '2',
      '--timeout',
      '1500ms',
    ]);
    for (let i = 0; i < 2; i++) expect((await send(url, 'del_same')).status).toBe(200);
    const { code, stdout } = await result;
    expect(code).toBe(1);
    expect(stdout).toMatch(/✓ duplicate/);
  });

  it('usage errors exit 2 with a one-line message', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--secret', SECRET, '--timeout', '5s'], /--timeout needs --exit-after or --wait-for/],
      [['--secret', SECRET, '--route', 'render.*'], /--route: invalid route/],
      [['--secret', SECRET, '--path', 'hooks'], /--path must start with "\/"/],
      [['--secret', SECRET, '--max-body', 'lots'], /--max-body: invalid size/],
      [['--secret', SECRET, '--wait-for', 'render.done'], /unknown event "render\.done"/],
      [['--secret', SECRET, '--port', '70000'], /--port: must be between 0 and 65535/],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = await run(dir, ['listen', '--port', '0', ...args]);
      expect({ args, code }).toEqual({ args, code: 2 });
      expect(stderr).toMatch(message);
    }
  });

  it('a port in use is a clear failure (exit 1)', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = String((blocker.address() as { port: number }).port);
    try {
      const { code, stderr } = await run(dir, ['listen', '--port', port, '--secret', SECRET]);
      expect(code).toBe(1);
      expect(stderr).toMatch(new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`));
    } finally {
      blocker.close();
    }
  });
});

// What listen tells a user at start and at the end: the secrets it verifies with (counted, not listed), warnings
// about secrets that cannot match, a scheme-less local --forward-to, and --exit-after blaming the app, not the
// sender, when the app refused verified deliveries.
describe('listen: the Ready line and secret warnings', () => {
  it('counts many secrets by origin instead of listing their ids', async () => {
    for (const uid of ['wh_1', 'wh_2', 'wh_3', 'wh_4']) await run(dir, ['secrets', 'set', uid, `whsec_${uid}_secret`]);
    const { url, result } = await listen(['--no-store', '--exit-after', '1']);
    await postDelivery(url, signedSample('render.completed', { nowMs: FIXED_NOW, secret: 'whsec_wh_2_secret' }));
    const { code, stderr } = await result;
    expect(code).toBe(0);
    expect(stderr).toMatch(/^Ready: listening on http:\/\/127\.0\.0\.1:\d+ — secrets: 4 \(4 from the profile\)$/m);
    expect(stderr).not.toContain('wh_1, wh_2');
  });

  it('warns at start about a secret with whitespace around it or without whsec_, and still uses it', async () => {
    const { url, result } = await listen([
      '--no-store',
      '--secret',
      `${SECRET}\n`,
      '--secret',
      'plain-secret',
      '--exit-after',
      '1',
    ]);
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
    const { url, result } = await listen(['--no-store', '--exit-after', '1'], {
      env: { PICTIFY_WEBHOOK_SECRET: ' whsec_env ' },
    });
    await postDelivery(url, signedSample('render.completed', { nowMs: FIXED_NOW, secret: ' whsec_env ' }));
    const { stderr } = await result;
    expect(stderr).toContain('warning: PICTIFY_WEBHOOK_SECRET has whitespace around it');
  });
});

describe('PICTIFY_WEBHOOK_SECRET over the stored secrets (issue 24)', () => {
  it("a delivery signed with a stored secret: listen's line and events show say whose it is and why it was not tried", async () => {
    expect((await run(dir, ['secrets', 'set', 'wh_stored', SECRET])).code).toBe(0);
    const { url, result } = await listen(['--exit-after', '1', '--timeout', '20s'], {
      env: { PICTIFY_WEBHOOK_SECRET: 'whsec_from_the_shell' },
    });
    const why =
      'the signature matches the stored secret of wh_stored; PICTIFY_WEBHOOK_SECRET overrides the profile ' +
      '(unset it to verify with the stored secrets)';
    const rejected = await postDelivery(
      url,
      signedSample('render.completed', { nowMs: FIXED_NOW, deliveryId: 'del_env' }),
    );
    expect(rejected.status).toBe(401);
    expect(JSON.parse(rejected.body).message).toContain(why);
    await postDelivery(
      url,
      signedSample('render.completed', { nowMs: FIXED_NOW, secret: 'whsec_from_the_shell', deliveryId: 'del_ok' }),
    );
    const { code, stdout } = await result;
    expect(code).toBe(0);
    expect(stdout).toMatch(
      new RegExp(
        `✗ signature_mismatch .*del_env .*401 .*— no v1 signature matches the raw body with the secret: ${why.replace(/[()]/g, '\\$&')}`,
      ),
    );
    const shown = await run(dir, ['events', 'show', 'del_env']);
    expect(shown.stdout).toContain(
      `verdict: ✗ signature_mismatch — no v1 signature matches the raw body with the secret: ${why}`,
    );
    // A wrong secret that is nobody's keeps the plain reason.
    expect(stdout).not.toMatch(/del_ok.*stored/);
  });
});

describe('listen --forward-to and --exit-after', () => {
  it('--forward-to localhost:<port> without a scheme forwards over http', async () => {
    const target = await startApp(200);
    const { url, result } = await listenForwarding(`localhost:${target.port}/hooks`, ['--exit-after', '1']);
    const answer = await send(url, 'del_fwd');
    expect(answer.status).toBe(200);
    const { code, stderr } = await result;
    expect(code, stderr).toBe(0);
    expect(hitsOf(target)).toEqual(['/hooks']);
    expect(stderr).toContain(`forward: * → http://localhost:${target.port}/hooks`);
  });

  it('an app answering 400 to every verified delivery: --exit-after still ends, blaming the app (exit 1)', async () => {
    const target = await startApp(400);
    const forward = `http://127.0.0.1:${target.port}/webhooks`;
    const { url, result } = await listenForwarding(forward, ['--exit-after', '3', '--timeout', '20s']);
    for (const id of ['del_a', 'del_b', 'del_c']) expect((await send(url, id)).status).toBe(400);
    const { code, stderr } = await result;
    expect(code).toBe(1);
    expect(stderr).toContain(`error: 3 deliveries verified, but your app at ${forward} answered 400 to all of them`);
    expect(stderr).not.toContain('check that the sender');
  });

  it('an app refusing some deliveries with different statuses: the closing error tallies them', async () => {
    const statuses = [200, 400, 200, 503, 400];
    const target = await startReferenceReceiver({ answer: (_req, index) => statuses[index]! });
    apps.push(target);
    const forward = `http://127.0.0.1:${target.port}/webhooks`;
    const { url, result } = await listenForwarding(forward, ['--exit-after', '5', '--timeout', '20s']);
    for (const [i, status] of statuses.entries()) expect((await send(url, `del_mix_${i}`)).status).toBe(status);
    const { code, stderr } = await result;
    expect(code).toBe(1);
    expect(stderr).toContain(`error: 5 deliveries verified, but your app at ${forward} answered 400, 503 to 3 of them`);
  });

  it('an app that is down: the deliveries are verified, the app could not be reached', async () => {
    const forward = `http://127.0.0.1:${await closedPort()}/webhooks`;
    const { url, result } = await listenForwarding(forward, ['--exit-after', '1']);
    await send(url, 'del_down');
    const { code, stderr } = await result;
    expect(code).toBe(1);
    expect(stderr).toMatch(
      new RegExp(`1 delivery verified, but your app at ${forward} could not be reached \\(.+\\) for all of them`),
    );
  });
});

describe("listen --subscribe: the tunnel's last lines", () => {
  /** listen --subscribe through `command`, with an API key it never gets to use: the tunnel fails first. */
  const throughTunnelCommand = (command: string, extra: string[] = []) =>
    run(dir, [
      '--api-key',
      'pk_test_unused',
      'listen',
      '--port',
      '0',
      '--no-store',
      '--subscribe',
      'render.completed',
      ...extra,
      '--tunnel-command',
      command,
    ]);

  it('are shown with their control characters escaped when the tunnel command fails', async () => {
    // Octal escapes: ESC, BEL, U+009B and U+202E (as UTF-8), DEL.
    const command = "printf 'tunnel says \\033]0;pwned\\007 \\302\\233 \\342\\200\\256 \\177\\n'; exit 3 # {port}";
    const { code, stderr } = await throughTunnelCommand(command);
    expect(code).toBe(1);
    expectNoRawControls(stderr, 'listen stderr');
    const lines = stderr.split('\n');
    const at = lines.findIndex((l) => l.includes('last lines from the tunnel:'));
    expect(at).toBeGreaterThanOrEqual(0);
    expect(lines[at + 1]).toBe('  tunnel says \\x1b]0;pwned\\x07 \\x9b \\u202e \\x7f');
  });

  it('a tunnel printing a 200 KB URL: not used, and stderr stays small', async () => {
    const { code, stderr } = await throughTunnelCommand(
      "printf 'http://127.0.0.1:1/'; head -c 200000 /dev/zero | tr '\\0' a; echo; sleep 30 # {port}",
      ['--tunnel-timeout', '1s', '--tunnel-url-pattern', '(http://\\S+)'],
    );
    expect(stderr.length).toBeLessThan(8_000);
    expect(code).toBe(1);
    expect(stderr).toMatch(/did not report a public URL within 1 s/);
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
    expect(hitsOf(target)).toEqual([]);
    const render = await postDelivery(url, signedSample('render.failed', { nowMs: FIXED_NOW, deliveryId: 'del_r' }));
    expect(render.status).toBe(200);
    const { code, stdout, stderr } = await result;
    expect(code, stderr).toBe(0);
    expect(hitsOf(target)).toEqual(['/app']);
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

describe('listen --ui', () => {
  const listenWithUi = (...flags: string[]) => ['listen', '--port', '0', '--secret', SECRET, '--ui', ...flags];
  let busy: Server | undefined;
  afterEach(() => busy?.close());

  it('prints the inspector link under the Ready line; the secret stays out of it', async () => {
    const readyFile = join(dir, 'ready');
    const running = runWithSignals(dir, listenWithUi('--ui-port', '0', '--ready-file', readyFile));
    const listenUrl = await waitForFile(readyFile);
    await postDelivery(listenUrl, signedSample('render.completed', { secret: SECRET, nowMs: Date.now() }));
    running.signal('SIGTERM');
    const { code, stderr } = await running.finished;
    expect(code).toBe(0);
    const lines = stderr.split('\n');
    const ready = lines.findIndex((l) => l.startsWith('Ready: listening on'));
    expect(lines[ready + 2]).toMatch(/^ {2}inspector: http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32}$/);
    expect(stderr).not.toContain(SECRET);
    expect(readFileSync(join(dir, 'events.jsonl'), 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('the page flags need --ui', async () => {
    for (const flags of [['--ui-port', '0'], ['--open'], ['--allow-remote-replay']]) {
      const { code, stderr } = await run(dir, ['listen', '--port', '0', '--secret', SECRET, ...flags]);
      expect(code, flags.join(' ')).toBe(2);
      expect(stderr).toContain(`${flags[0]} works with --ui`);
    }
  });

  it('a busy --ui-port fails before receiving anything, naming the flag', async () => {
    busy = createServer();
    await new Promise<void>((resolve) => busy!.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as { port: number }).port;
    const { code, stderr } = await run(dir, listenWithUi('--ui-port', String(port)));
    expect(code).toBe(1);
    expect(stderr).toContain(`--ui-port ${port}: 127.0.0.1:${port} is already in use`);
    expect(stderr).not.toContain('Ready:');
  });
});
