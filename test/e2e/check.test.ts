// The built CLI against a real receiver that skips the timestamp check: the exit code and the report a CI log shows.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tempConfigDir } from '../helpers/cli.js';
import { startReferenceReceiver, type ReferenceReceiver } from '../helpers/reference-receiver.js';

const BIN = fileURLToPath(new URL('../../bin/pictify-hooks.js', import.meta.url));
const SECRET = 'whsec_e2e_check_secret';

let receiver: ReferenceReceiver;
const config = tempConfigDir();
beforeAll(async () => {
  receiver = await startReferenceReceiver({ secret: SECRET, flaw: 'no-timestamp-check' });
});
afterAll(async () => {
  await receiver.close();
  config.cleanup();
});

function cli(
  args: string[],
  env: Record<string, string> = {},
  onSpawn?: (child: ReturnType<typeof spawn>) => void,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', PICTIFY_HOOKS_CONFIG_DIR: config.dir, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    onSpawn?.(child);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

it('exits 1 and names the stale and future timestamp cases', async () => {
  // default request gap: exactly what a CI job runs
  const { code, stdout, stderr } = await cli(['check', receiver.url], { PICTIFY_WEBHOOK_SECRET: SECRET });
  expect(stderr).toContain(`checking ${receiver.url}: 20 cases, signed with PICTIFY_WEBHOOK_SECRET`);
  expect(code).toBe(1);
  expect(stdout).toMatch(/^stale timestamp\s+4xx\s+200\s+✗ fail$/m);
  expect(stdout).toMatch(/^future timestamp\s+4xx\s+200\s+✗ fail$/m);
  expect(stdout).toMatch(/^tampered body\s+4xx\s+401\s+✓ pass$/m);
  expect(stdout).toContain('✗ stale timestamp: your receiver accepts a stale timestamp: reject |now − t| > 300 s');
  expect(stdout).toContain('score: 16/20 cases passed, 4 failed');
  expect(stdout + stderr).not.toContain(SECRET);
  expect(stdout).not.toMatch(/\x1b\[/);
});

it('Ctrl-C while waiting for a slow receiver stops at once with exit 130', async () => {
  const slow = await startReferenceReceiver({ secret: SECRET, delayMs: 10_000 });
  try {
    const started = Date.now();
    const result = await cli(['check', slow.url, '--secret', SECRET], {}, (child) => {
      const poll = setInterval(() => {
        if (slow.received.length > 0) {
          clearInterval(poll);
          child.kill('SIGINT');
        }
      }, 10);
      child.on('close', () => clearInterval(poll));
    });
    expect(result.code).toBe(130);
    expect(result.stderr).toContain('error: interrupted');
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(slow.received).toHaveLength(1);
  } finally {
    await slow.close();
  }
});
