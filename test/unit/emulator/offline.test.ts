// "Offline" holds: the emulator POSTs only to loopback targets unless it was started with allowRemote, so a
// README example with a public url can never make it contact the internet.
import { afterEach, describe, expect, it } from 'vitest';
import { isLoopbackUrl } from '../../../src/emulator/delivery.js';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/index.js';
import { call, startReceiver } from './support.js';
import { type ReferenceReceiver } from '../../helpers/reference-receiver.js';

let emu: RunningEmulator | undefined;
let rx: ReferenceReceiver | undefined;
afterEach(async () => {
  await emu?.close();
  await rx?.close();
});

async function subscribe(targetUrl: string): Promise<string> {
  const r = await call(emu!.url, 'POST', '/webhook-subscriptions', { body: { event: 'render.completed', targetUrl } });
  expect(r.status).toBe(201);
  return r.json.subscription.uid as string;
}

describe('emulator deliveries outside loopback', () => {
  it('refuses a public target without sending anything or retrying, and says how to allow it', async () => {
    const logs: string[] = [];
    emu = await startEmulator({ retryScale: 0.00001, log: (l) => logs.push(l) });
    const uid = await subscribe('https://example.com/webhooks');
    const r = await call(emu.url, 'POST', '/_emulator/events', { body: { event: 'render.completed' } });
    expect(r.status).toBe(202);
    expect(r.json.deliveries[0]).toMatchObject({ subscription: uid, status: 'failed', attempt: 1 });
    expect(r.json.deliveries[0].error).toBe(
      'not sent: example.com is not a loopback address (start the emulator with --allow-remote to deliver there)',
    );
    expect(r.json.deliveries[0]).not.toHaveProperty('statusCode');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const log = await call(emu.url, 'GET', '/_emulator/deliveries');
    expect(JSON.stringify(log.json)).not.toContain('"attempt":2');
    expect(logs.join('\n')).toContain('not a loopback address');
  });

  it('with allowRemote, delivers to a non-literal-loopback address (::ffff:127.0.0.1, still local)', async () => {
    rx = await startReceiver();
    const port = new URL(rx.url).port;
    const mapped = `http://[::ffff:127.0.0.1]:${port}/hooks`;
    expect(isLoopbackUrl(mapped)).toBe(false);

    emu = await startEmulator({ retryScale: 0.00001 });
    await subscribe(mapped);
    let r = await call(emu.url, 'POST', '/_emulator/events', { body: { event: 'render.completed' } });
    expect(r.json.deliveries[0].status).toBe('failed');
    expect(rx.received).toHaveLength(0);
    await emu.close();

    emu = await startEmulator({ retryScale: 0.00001, allowRemote: true });
    await subscribe(mapped);
    r = await call(emu.url, 'POST', '/_emulator/events', { body: { event: 'render.completed' } });
    expect(r.json.deliveries[0]).toMatchObject({ status: 'delivered', statusCode: 200 });
    expect(rx.received).toHaveLength(1);
  });

  it('counts 127.0.0.0/8, ::1 and localhost names as loopback, nothing else', () => {
    for (const url of [
      'http://127.0.0.1:3000/x',
      'http://127.9.8.7/',
      'http://[::1]:80/',
      'http://localhost:1/',
      'http://app.localhost/',
    ])
      expect(isLoopbackUrl(url), url).toBe(true);
    for (const url of [
      'https://example.com/',
      'http://10.0.0.1/',
      'http://127.0.0.1.example.com/',
      'http://[::2]/',
      'nonsense',
    ])
      expect(isLoopbackUrl(url), url).toBe(false);
  });
});
