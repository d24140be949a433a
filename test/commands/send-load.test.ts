import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run, tempConfigDir } from '../helpers/cli.js';
import { closedPort, startReferenceReceiver, type ReferenceReceiver } from '../helpers/reference-receiver.js';

const SECRET = 'whsec_load_secret_0123456789';
let dir: string;
let cleanup: () => void;
let receiver: ReferenceReceiver | undefined;
beforeEach(() => ({ dir, cleanup } = tempConfigDir()));
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
  cleanup();
});

const send = (args: string[], opts: Parameters<typeof run>[2] = {}) =>
  run(dir, ['send', ...args], { now: () => Date.now(), ...opts });

describe('send --count (load mode)', () => {
  it('sends every delivery exactly once, each with its own id and a valid signature, and prints a summary', async () => {
    receiver = await startReferenceReceiver({ secret: SECRET, delayMs: 2 });
    const r = await send([
      'render.completed',
      '--url',
      receiver.url,
      '--secret',
      SECRET,
      '--count',
      '200',
      '--concurrency',
      '16',
    ]);
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
    const r = await send(['--all', '--url', receiver.url, '--secret', SECRET, '--count', '12', '--concurrency', '3']);
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
    const r = await send([
      'batch.completed',
      '--url',
      receiver.url,
      '--secret',
      SECRET,
      '--count',
      '50',
      '--concurrency',
      '5',
      '--json',
    ]);
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
    const r = await send([
      'render.failed',
      '--url',
      receiver.url,
      '--secret',
      SECRET,
      '--count',
      '3',
      '--concurrency',
      '3',
      '--timeout',
      '300ms',
      '--json',
    ]);
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
    const tty = await send(['render.completed', '--url', receiver.url, '--secret', SECRET, '--count', '30'], {
      stderrIsTTY: true,
    });
    expect(tty.code).toBe(0);
    expect(tty.stderr).toContain('30/30');
    const plain = await send(['render.completed', '--url', receiver.url, '--secret', SECRET, '--count', '30']);
    expect(plain.stderr).toBe('');
  });
});
