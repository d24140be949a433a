// Runs the BUILT CLI (bin/pictify-hooks.js → dist/) as a subprocess against a real local receiver.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EVENT_NAMES } from '../../src/events/index.js';
import { tempConfigDir } from '../helpers/cli.js';
import { startReferenceReceiver, type ReferenceReceiver } from '../helpers/reference-receiver.js';

const BIN = fileURLToPath(new URL('../../bin/pictify-hooks.js', import.meta.url));
const SECRET = 'whsec_e2e_secret_0123456789';

function cli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

let dir: string;
let cleanup: () => void;
let receiver: ReferenceReceiver;
beforeEach(async () => {
  ({ dir, cleanup } = tempConfigDir());
  receiver = await startReferenceReceiver({ secret: SECRET });
});
afterEach(async () => {
  await receiver.close();
  cleanup();
});

describe('e2e: send', () => {
  it('the dist build exists (run `npx tsc -p tsconfig.json` first)', () => {
    expect(existsSync(fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url)))).toBe(true);
  });

  it('send --all delivers six verified events and exits 0', async () => {
    const r = await cli(['send', '--all', '--url', receiver.url, '--secret', SECRET], {
      PICTIFY_HOOKS_CONFIG_DIR: dir,
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(receiver.received).toHaveLength(6);
    expect(receiver.received.every((d) => d.verified)).toBe(true);
    expect(receiver.received.map((d) => d.headers['x-pictify-event'])).toEqual([...EVENT_NAMES]);
    expect(r.stdout.match(/^✓ 200 /gm)).toHaveLength(6);
  });

  it('send --expect 401 with the wrong secret exits 0; with the right one exits 1', async () => {
    const env = { PICTIFY_HOOKS_CONFIG_DIR: dir };
    expect(
      (await cli(['send', 'render.failed', '--url', receiver.url, '--secret', 'whsec_wrong', '--expect', '401'], env))
        .code,
    ).toBe(0);
    const r = await cli(['send', 'render.failed', '--url', receiver.url, '--expect', '401'], {
      ...env,
      PICTIFY_WEBHOOK_SECRET: SECRET,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: got 200, expected 401\n');
  });

  it('load mode through the built bin counts every delivery once', async () => {
    const r = await cli(
      [
        'send',
        'render.completed',
        '--url',
        receiver.url,
        '--secret',
        SECRET,
        '--count',
        '300',
        '--concurrency',
        '8',
        '--json',
      ],
      { PICTIFY_HOOKS_CONFIG_DIR: dir },
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ sent: 300, ok: 300, statuses: { '200': 300 } });
    expect(receiver.received).toHaveLength(300);
    expect(new Set(receiver.received.map((d) => d.headers['x-pictify-delivery-id'])).size).toBe(300);
  });
});
