// The built CLI against a real receiver that skips the timestamp check: the exit code and the report a CI log shows.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { useBinSandbox, waitFor } from '../helpers/bin.js';
import { startReferenceReceiver, type ReferenceReceiver } from '../helpers/reference-receiver.js';

const SECRET = 'whsec_e2e_check_secret';

const { cli } = useBinSandbox();
let receiver: ReferenceReceiver;
beforeAll(async () => {
  receiver = await startReferenceReceiver({ secret: SECRET, flaw: 'no-timestamp-check' });
});
afterAll(() => receiver.close());

it('exits 1 and names the stale and future timestamp cases', async () => {
  // default request gap: exactly what a CI job runs
  const { code, stdout, stderr } = await cli.run(['check', receiver.url], { env: { PICTIFY_WEBHOOK_SECRET: SECRET } });
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
    const running = cli.spawn(['check', slow.url, '--secret', SECRET]);
    await waitFor(() => slow.received.length > 0, 'the first case at the receiver');
    running.child.kill('SIGINT');
    const result = await running.done;
    expect(result.code).toBe(130);
    expect(result.stderr).toContain('error: interrupted');
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(slow.received).toHaveLength(1);
  } finally {
    await slow.close();
  }
});
