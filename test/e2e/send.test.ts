// Runs the BUILT CLI (bin/pictify-hooks.js → dist/) as a subprocess against a real local receiver.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EVENT_NAMES } from '../../src/events/index.js';
import { useBinSandbox } from '../helpers/bin.js';
import { startReferenceReceiver, type ReferenceReceiver } from '../helpers/reference-receiver.js';

const SECRET = 'whsec_e2e_secret_0123456789';

const { cli } = useBinSandbox();
let receiver: ReferenceReceiver;
beforeEach(async () => {
  receiver = await startReferenceReceiver({ secret: SECRET });
});
afterEach(() => receiver.close());

describe('e2e: send', () => {
  it('the dist build exists (run `npm run build` first)', () => {
    expect(existsSync(fileURLToPath(new URL('../../dist/bundle/pictify-hooks.cjs', import.meta.url)))).toBe(true);
  });

  it('send --all delivers six verified events and exits 0', async () => {
    const r = await cli.run(['send', '--all', '--url', receiver.url, '--secret', SECRET]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(receiver.received).toHaveLength(6);
    expect(receiver.received.every((d) => d.verified)).toBe(true);
    expect(receiver.received.map((d) => d.headers['x-pictify-event'])).toEqual([...EVENT_NAMES]);
    expect(r.stdout.match(/^✓ 200 /gm)).toHaveLength(6);
  });

  it('send --expect 401 with the wrong secret exits 0; with the right one exits 1', async () => {
    const wrong = await cli.run([
      'send',
      'render.failed',
      '--url',
      receiver.url,
      '--secret',
      'whsec_wrong',
      '--expect',
      '401',
    ]);
    expect(wrong.code).toBe(0);
    const r = await cli.run(['send', 'render.failed', '--url', receiver.url, '--expect', '401'], {
      env: { PICTIFY_WEBHOOK_SECRET: SECRET },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: got 200, expected 401\n');
  });

  it('load mode through the built bin counts every delivery once', async () => {
    const load = ['--count', '300', '--concurrency', '8', '--json'];
    const r = await cli.run(['send', 'render.completed', '--url', receiver.url, '--secret', SECRET, ...load]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ sent: 300, ok: 300, statuses: { '200': 300 } });
    expect(receiver.received).toHaveLength(300);
    expect(new Set(receiver.received.map((d) => d.headers['x-pictify-delivery-id'])).size).toBe(300);
  });
});
