import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EVENT_NAMES } from '../../src/events/index.js';
import { openConfig } from '../../src/store/config.js';
import { run, useConfigDir } from '../helpers/cli.js';
import {
  closedPort,
  referenceVerify,
  startReferenceReceiver,
  type ReferenceReceiver,
} from '../helpers/reference-receiver.js';

const SECRET = 'whsec_send_secret_0123456789';
const dir = useConfigDir();
let receiver: ReferenceReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

// Receivers check timestamps against the real clock, so send runs on it too.
const send = (args: string[], opts: Parameters<typeof run>[2] = {}) =>
  run(dir, ['send', ...args], { now: () => Date.now(), ...opts });
/** send to the test's receiver, signed with SECRET. */
const sendSigned = (args: string[], opts: Parameters<typeof run>[2] = {}) =>
  send([...args, '--url', receiver!.url, '--secret', SECRET], opts);

describe('send', () => {
  it('--all delivers all six events, each accepted by an independent verifier', async () => {
    receiver = await startReferenceReceiver({ secret: SECRET });
    const r = await sendSigned(['--all']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(receiver.received.map((d) => JSON.parse(d.body.toString()).event)).toEqual([...EVENT_NAMES]);
    for (const d of receiver.received) {
      expect(d.verified).toBe(true);
      expect(d.method).toBe('POST');
      expect(d.url).toBe('/webhooks');
      const body = JSON.parse(d.body.toString());
      expect(d.headers['content-type']).toBe('application/json');
      expect(d.headers['x-pictify-event']).toBe(body.event);
      expect(d.headers['x-pictify-delivery-id']).toMatch(/^del_[0-9a-f]{24}$/);
      expect(body.data.deliveryId).toBe(d.headers['x-pictify-delivery-id']);
      expect(d.body.toString()).toBe(JSON.stringify(body)); // compact, as Pictify sends
    }
    expect(new Set(receiver.received.map((d) => d.headers['x-pictify-delivery-id'])).size).toBe(6);
    const lines = r.stdout
      .trim()
      .split('\n')
      .filter((l) => !l.startsWith('  '));
    expect(lines).toHaveLength(6);
    for (const [i, line] of lines.entries())
      expect(line).toMatch(new RegExp(`^✓ 200  ${EVENT_NAMES[i].replace('.', '\\.')}  [\\d.]+ ms  del_`));
    expect(r.stdout).toContain('"received":true');
  });

  it('exits 1 on a 4xx or 5xx answer and says what was expected', async () => {
    for (const status of [400, 503]) {
      receiver = await startReferenceReceiver({ answer: status });
      const r = await sendSigned(['render.completed']);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(new RegExp(`^✗ ${status}  render\\.completed .*\\(expected 2xx\\)`));
      expect(r.stderr).toBe(`error: got ${status}, expected 2xx\n`);
      await receiver.close();
      receiver = undefined;
    }
  });

  it('--expect 401 lets CI assert that a wrongly signed delivery is rejected', async () => {
    receiver = await startReferenceReceiver({ secret: SECRET });
    const r = await send(['render.completed', '--url', receiver.url, '--secret', 'whsec_wrong', '--expect', '401']);
    expect(r.code).toBe(0);
    expect(receiver.received[0].verified).toBe(false);
    const pass = await sendSigned(['render.completed', '--expect', '401']);
    expect(pass.code).toBe(1);
    expect(pass.stderr).toContain('got 200, expected 401');
  });

  it('--expect accepts classes and comma lists', async () => {
    receiver = await startReferenceReceiver({ answer: 409 });
    expect((await sendSigned(['batch.failed', '--expect', '4xx'])).code).toBe(0);
    expect((await sendSigned(['batch.failed', '--expect', '200,409'])).code).toBe(0);
    expect((await sendSigned(['batch.failed', '--expect', '5xx,201'])).code).toBe(1);
    expect((await sendSigned(['batch.failed', '--expect', '2xy'])).code).toBe(2);
  });

  it('every --expect against every class of answer: met exactly when the status is listed, single and load mode', async () => {
    // Written out, not derived from parseExpect: a CI job asserting "my receiver rejects bad signatures under
    // load" (--count 5 --expect 401 against a receiver that wrongly answers 200) must fail, in both modes.
    const meets: Record<string, (status: number) => boolean> = {
      '2xx': (s) => s >= 200 && s < 300,
      '3xx': (s) => s >= 300 && s < 400,
      '4xx': (s) => s >= 400 && s < 500,
      '5xx': (s) => s >= 500,
      '401': (s) => s === 401,
      '204': (s) => s === 204,
      '200,409': (s) => s === 200 || s === 409,
    };
    receiver = await startReferenceReceiver({ secret: SECRET });
    for (const answer of [200, 204, 302, 401, 409, 503]) {
      receiver.answer = answer;
      for (const [expectFlag, met] of Object.entries(meets)) {
        const want = met(answer);
        const single = await sendSigned(['render.completed', '--expect', expectFlag]);
        expect({ answer, expectFlag, code: single.code }).toEqual({ answer, expectFlag, code: want ? 0 : 1 });
        const load = await sendSigned(['render.completed', '--count', '3', '--expect', expectFlag, '--json']);
        const summary = JSON.parse(load.stdout);
        expect({ answer, expectFlag, code: load.code, ok: summary.ok, failed: summary.failed }).toEqual({
          answer,
          expectFlag,
          code: want ? 0 : 1,
          ok: want ? 3 : 0,
          failed: want ? 0 : 3,
        });
        expect(summary.statuses).toEqual({ [String(answer)]: 3 });
      }
    }
  });

  it('an old --timestamp is rejected by a receiver that checks the window', async () => {
    receiver = await startReferenceReceiver({ secret: SECRET });
    const r = await sendSigned(['render.completed', '--timestamp', '1700000000']);
    expect(r.code).toBe(1);
    expect(receiver.received[0].headers['x-pictify-signature']).toMatch(/^t=1700000000,v1=[0-9a-f]{64}$/);
    expect(
      referenceVerify(
        receiver.received[0].body,
        receiver.received[0].headers['x-pictify-signature'] as string,
        SECRET,
        1700000000,
      ),
    ).toBe(true);
  });

  it("--timestamp also sets the body's times, as sign does: header and body agree (single and load mode)", async () => {
    receiver = await startReferenceReceiver({ secret: SECRET, answer: 200 });
    const one = await sendSigned(['render.completed', '--timestamp', '1700000000']);
    expect(one.code).toBe(0);
    const load = await sendSigned(['batch.completed', '--timestamp', '1700000000', '--count', '3']);
    expect(load.code).toBe(0);
    expect(receiver.received).toHaveLength(4);
    for (const d of receiver.received) {
      expect(d.headers['x-pictify-signature']).toMatch(/^t=1700000000,/);
      expect(JSON.parse(d.body.toString()).timestamp).toBe('2023-11-14T22:13:20Z');
    }
    expect(JSON.parse(receiver.received[0].body.toString()).data.renderedAt).toBe('2023-11-14T22:13:20Z');
    // The same times sign prints for the same pinned timestamp: one rule for both commands.
    const signed = await run(dir, ['sign', 'render.completed', '--secret', SECRET, '--timestamp', '1700000000']);
    const body = JSON.parse(signed.stdout.split('\n\n')[1]);
    expect(JSON.parse(receiver.received[0].body.toString()).data.renderedAt).toBe(body.data.renderedAt);
  });

  it('reports a refused connection in one line and exits 1', async () => {
    const port = await closedPort();
    const r = await send(['render.completed', '--url', `http://127.0.0.1:${port}/hook`, '--secret', SECRET]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`connection refused by 127.0.0.1:${port}`);
  });

  it('gives up after --timeout on a receiver that never answers', async () => {
    receiver = await startReferenceReceiver({ answer: 'hang' });
    const started = Date.now();
    const r = await sendSigned(['render.completed', '--timeout', '300ms']);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('no answer from');
    expect(r.stderr).toContain('within 300 ms');
  });

  it('--set, --data and --header shape the request; the result still verifies', async () => {
    receiver = await startReferenceReceiver({ secret: SECRET });
    const data = join(dir, 'data.json');
    writeFileSync(data, JSON.stringify({ templateId: 'tmpl_from_file', extra: { nested: true } }));
    const r = await sendSigned([
      'render.completed',
      '--data',
      `@${data}`,
      '--set',
      'data.width=42',
      '--set',
      'data.variables.title="Hi there"',
      '--set',
      'data.templateId=tmpl_1',
      '--header',
      'X-Test-Run: 7',
      '--header',
      'Authorization: Bearer abc',
    ]);
    expect(r.code).toBe(0);
    const [d] = receiver.received;
    const body = JSON.parse(d.body.toString());
    expect(body.data).toMatchObject({
      width: 42,
      templateId: 'tmpl_1',
      extra: { nested: true },
      variables: { title: 'Hi there' },
    });
    expect(d.headers['x-test-run']).toBe('7');
    expect(d.headers.authorization).toBe('Bearer abc');
    expect(d.verified).toBe(true);
  });

  it('--header can replace our signature (negative tests)', async () => {
    receiver = await startReferenceReceiver({ secret: SECRET });
    const r = await sendSigned(['render.completed', '--header', 'X-Pictify-Signature: t=1,v1=00', '--expect', '401']);
    expect(r.code).toBe(0);
    expect(receiver.received[0].headers['x-pictify-signature']).toBe('t=1,v1=00');
  });

  it('--payload naming a file without its @: exit 2, says to write @file, nothing sent', async () => {
    receiver = await startReferenceReceiver({ secret: SECRET });
    const file = join(dir, 'event.json');
    writeFileSync(file, '{"event":"render.completed"}');
    const r = await sendSigned(['--payload', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--payload: ${file} is a file; write --payload @${file} to send its bytes`);
    expect(receiver.received).toHaveLength(0);
  });

  it('--payload sends a file verbatim, signed over its exact bytes', async () => {
    receiver = await startReferenceReceiver({ secret: SECRET });
    const file = join(dir, 'raw.json');
    const bytes = Buffer.from('{ "event": "binding.updated",\n  "data": { "bindingId": "bind_9" } }\n');
    writeFileSync(file, bytes);
    const r = await sendSigned(['--payload', `@${file}`, '--delivery-id', 'del_fixed']);
    expect(r.code).toBe(0);
    const [d] = receiver.received;
    expect(d.body.equals(bytes)).toBe(true);
    expect(d.verified).toBe(true);
    expect(d.headers['x-pictify-event']).toBe('binding.updated');
    expect(d.headers['x-pictify-delivery-id']).toBe('del_fixed');
  });

  it('--delivery-id pins the id in the header and in data.deliveryId', async () => {
    receiver = await startReferenceReceiver({ secret: SECRET });
    await sendSigned(['batch.completed', '--delivery-id', 'del_dup']);
    expect(receiver.received[0].headers['x-pictify-delivery-id']).toBe('del_dup');
    expect(JSON.parse(receiver.received[0].body.toString()).data.deliveryId).toBe('del_dup');
  });

  it('--json prints one result object per event (NDJSON)', async () => {
    receiver = await startReferenceReceiver({ secret: SECRET, answer: (_req, i) => (i === 1 ? 500 : 200) });
    const r = await sendSigned(['render.completed', 'render.failed', '--json']);
    expect(r.code).toBe(1);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      event: 'render.completed',
      url: receiver.url,
      status: 200,
      ok: true,
      expected: '2xx',
    });
    expect(lines[1]).toMatchObject({ event: 'render.failed', status: 500, ok: false });
    for (const l of lines) {
      expect(l.deliveryId).toMatch(/^del_/);
      expect(typeof l.latencyMs).toBe('number');
      expect(typeof l.timestamp).toBe('number');
      expect(JSON.parse(l.body)).toMatchObject({ received: true });
    }
    expect(r.stderr).toContain('1 of 2 deliveries failed');
  });

  it('--json reports network errors with their kind', async () => {
    const port = await closedPort();
    const r = await send(['render.completed', '--url', `http://127.0.0.1:${port}/`, '--secret', SECRET, '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: null, ok: false, error: { kind: 'refused' } });
  });

  it('--subscription uses the stored target url and secret', async () => {
    receiver = await startReferenceReceiver({ secret: SECRET });
    const config = await openConfig({ cwd: dir });
    config.saveSecret('default', 'wh_sub', { secret: SECRET, event: 'render.completed', targetUrl: receiver.url });
    const r = await send(['render.completed', '--subscription', 'wh_sub']);
    expect(r.code).toBe(0);
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0].verified).toBe(true);
  });

  it('works with --secret and no config file at all, without creating one', async () => {
    receiver = await startReferenceReceiver({ secret: SECRET });
    const missing = join(dir, 'never-created');
    const r = await run(missing, ['send', 'render.completed', '--url', receiver.url, '--secret', SECRET], {
      now: () => Date.now(),
    });
    expect(r.code).toBe(0);
    expect(existsSync(missing)).toBe(false);
  });

  it('takes the secret from PICTIFY_WEBHOOK_SECRET', async () => {
    receiver = await startReferenceReceiver({ secret: SECRET });
    const r = await send(['render.completed', '--url', receiver.url], { env: { PICTIFY_WEBHOOK_SECRET: SECRET } });
    expect(r.code).toBe(0);
    expect(receiver.received[0].verified).toBe(true);
  });

  it('warns, without blocking, about plain http to a non-loopback host', async () => {
    // 0.0.0.0 is not a loopback name, yet connecting to it stays on this machine (a closed port: refused).
    const port = await closedPort();
    const r = await send(['render.completed', '--url', `http://0.0.0.0:${port}/hook`, '--secret', SECRET]);
    expect(r.stderr).toMatch(
      new RegExp(`warning: http://0\\.0\\.0\\.0:${port} is plain http: the delivery and its signature travel`),
    );
    expect(r.stderr).toContain('connection refused');
    expect(r.code).toBe(1);
  });

  it('rejects bad usage with exit 2', async () => {
    const cases: string[][] = [
      ['render.completed', '--secret', SECRET],
      ['--url', 'http://127.0.0.1:1/', '--secret', SECRET],
      ['--all', 'render.completed', '--url', 'http://127.0.0.1:1/', '--secret', SECRET],
      ['render.nope', '--url', 'http://127.0.0.1:1/', '--secret', SECRET],
      ['render.completed', '--url', 'ftp://127.0.0.1/', '--secret', SECRET],
      ['render.completed', '--url', 'http://127.0.0.1:1/', '--secret', SECRET, '--payload', '-', '--set', 'a=1'],
      ['render.completed', '--url', 'http://127.0.0.1:1/', '--secret', SECRET, '--set', 'novalue'],
      ['render.completed', '--url', 'http://127.0.0.1:1/', '--secret', SECRET, '--header', 'nocolon'],
      ['render.completed', '--url', 'http://127.0.0.1:1/', '--secret', SECRET, '--concurrency', '4'],
      ['render.completed', '--url', 'http://127.0.0.1:1/', '--secret', SECRET, '--count', '0'],
      ['render.completed', '--url', 'http://127.0.0.1:1/', '--secret', SECRET, '--timeout', 'soon'],
      ['render.completed', '--url', 'http://127.0.0.1:1/', '--subscription', 'wh_none'],
      ['render.completed', '--url', 'http://127.0.0.1:1/'],
    ];
    for (const args of cases) {
      const r = await send(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/error: /);
    }
  });

  describe('header injection and redirects', () => {
    it.each([
      [['--header', 'X-Test: a\r\nX-Injected: 1'], /--header: the X-Test header value contains a control character/],
      [['--header', 'X Bad: 1'], /--header: invalid header name "X Bad"/],
      [['--delivery-id', 'del_1\r\nX-Injected: 1'], /--delivery-id: the X-Pictify-Delivery-Id header value/],
    ])('%j: exit 2 and nothing is sent', async (extra, message) => {
      receiver = await startReferenceReceiver({ secret: SECRET });
      const r = await sendSigned(['render.completed', ...extra]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(receiver.received).toEqual([]);
    });

    it('a --payload whose "event" carries CR/LF: exit 2, also in load mode', async () => {
      receiver = await startReferenceReceiver({ secret: SECRET });
      const file = join(dir, 'evil.json');
      writeFileSync(file, JSON.stringify({ event: 'render.completed\nX-Injected: 1', data: {} }));
      for (const extra of [[], ['--count', '3']]) {
        const r = await sendSigned(['--payload', `@${file}`, ...extra]);
        expect(r.code).toBe(2);
        expect(r.stderr).toContain('the "event" of --payload: the X-Pictify-Event header value contains a control');
      }
      expect(receiver.received).toEqual([]);
    });

    it('a 307 to another origin is the answer, not followed (single and load mode)', async () => {
      const other = await startReferenceReceiver({ secret: SECRET });
      const redirecting = await startReferenceReceiver({
        answer: { status: 307, body: '', headers: { location: other.url } },
      });
      try {
        const url = redirecting.url;
        const one = await send(['render.completed', '--url', url, '--secret', SECRET]);
        expect(one.code).toBe(1);
        expect(one.stderr).toContain('got 307, expected 2xx');
        const load = await send(['render.completed', '--url', url, '--secret', SECRET, '--count', '5', '--json']);
        expect(load.code).toBe(1);
        expect(JSON.parse(load.stdout).statuses).toEqual({ 307: 5 });
        expect(redirecting.received).toHaveLength(6);
        expect(other.received).toEqual([]);
      } finally {
        await redirecting.close();
        await other.close();
      }
    });
  });
});

describe('send --count (load mode)', () => {
  it('sends every delivery exactly once, each with its own id and a valid signature, and prints a summary', async () => {
    receiver = await startReferenceReceiver({ secret: SECRET, delayMs: 2 });
    const r = await sendSigned(['render.completed', '--count', '200', '--concurrency', '16']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(receiver.received).toHaveLength(200);
    expect(receiver.received.every((d) => d.verified)).toBe(true);
    const ids = receiver.received.map((d) => d.headers['x-pictify-delivery-id']);
    expect(new Set(ids).size).toBe(200);
    for (const d of receiver.received)
      expect(JSON.parse(d.body.toString()).data.deliveryId).toBe(d.headers['x-pictify-delivery-id']);
    expect(receiver.maxInFlight).toBeLessThanOrEqual(16);
    expect(receiver.maxInFlight).toBeGreaterThan(1);
    expect(r.stdout).toMatch(
      /^✓ sent 200 of 200 deliveries to http:\/\/127\.0\.0\.1:\d+\/webhooks in .+ \(\d+ deliveries\/s\)$/m,
    );
    expect(r.stdout).toContain('ok (2xx): 200   failed: 0');
    expect(r.stdout).toContain('status: 200 × 200');
    expect(r.stdout).toMatch(/latency: p50 [\d.]+ m?s · p95 [\d.]+ m?s · p99 [\d.]+ m?s/);
  });

  it('--all --count round-robins over the six events', async () => {
    receiver = await startReferenceReceiver({ secret: SECRET });
    const r = await sendSigned(['--all', '--count', '12', '--concurrency', '3']);
    expect(r.code).toBe(0);
    const events = receiver.received.map((d) => d.headers['x-pictify-event']);
    for (const e of new Set(events)) expect(events.filter((x) => x === e)).toHaveLength(2);
    expect(new Set(events).size).toBe(6);
    expect(
      receiver.received.every(
        (d) => d.verified && JSON.parse(d.body.toString()).event === d.headers['x-pictify-event'],
      ),
    ).toBe(true);
  });

  it('--json prints one summary object with per-status counts and percentiles', async () => {
    receiver = await startReferenceReceiver({ secret: SECRET, answer: (_d, i) => (i % 10 === 0 ? 500 : 200) });
    const r = await sendSigned(['batch.completed', '--count', '50', '--concurrency', '5', '--json']);
    expect(r.code).toBe(1);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({
      requested: 50,
      sent: 50,
      ok: 45,
      failed: 5,
      expected: '2xx',
      statuses: { '200': 45, '500': 5 },
      errors: {},
      interrupted: false,
    });
    expect(summary.perSecond).toBeGreaterThan(0);
    for (const k of ['min', 'mean', 'p50', 'p95', 'p99', 'max']) expect(typeof summary.latencyMs[k]).toBe('number');
    expect(summary.latencyMs.p50).toBeLessThanOrEqual(summary.latencyMs.p99);
    expect(r.stderr).toContain('5 of 50 deliveries failed');
  });

  it('counts network errors by kind', async () => {
    const port = await closedPort();
    const r = await send([
      'render.failed',
      '--url',
      `http://127.0.0.1:${port}/`,
      '--secret',
      SECRET,
      '--count',
      '20',
      '--concurrency',
      '4',
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('errors: refused × 20');
    expect(r.stdout).toContain('connection refused by');
  });

  it('counts timeouts against --timeout', async () => {
    receiver = await startReferenceReceiver({ answer: 'hang' });
    const r = await sendSigned(['render.failed', '--count', '3', '--concurrency', '3', '--timeout', '300ms', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ sent: 3, ok: 0, errors: { timeout: 3 } });
  });

  it('with a fixed --delivery-id and --payload every delivery carries the same bytes', async () => {
    receiver = await startReferenceReceiver({ secret: SECRET });
    const r = await send(
      ['--payload', '-', '--url', receiver.url, '--secret', SECRET, '--count', '5', '--delivery-id', 'del_same'],
      {
        stdin: '{"event":"render.completed","data":{}}',
      },
    );
    expect(r.code).toBe(0);
    expect(receiver.received.map((d) => d.headers['x-pictify-delivery-id'])).toEqual(Array(5).fill('del_same'));
    expect(
      receiver.received.every((d) => d.verified && d.body.toString() === '{"event":"render.completed","data":{}}'),
    ).toBe(true);
  });

  it('draws a progress bar on a TTY stderr only', async () => {
    receiver = await startReferenceReceiver({ secret: SECRET });
    const tty = await sendSigned(['render.completed', '--count', '30'], {
      stderrIsTTY: true,
    });
    expect(tty.code).toBe(0);
    expect(tty.stderr).toContain('30/30');
    const plain = await sendSigned(['render.completed', '--count', '30']);
    expect(plain.stderr).toBe('');
  });
});
