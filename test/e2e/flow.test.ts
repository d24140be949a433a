// The whole product through the built bin, every piece a separate process as on a developer's machine:
// emulator · create · list · listen · trigger · events · replay · delete — then `demo` on its own.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startWithReadyFile, useBinSandbox } from '../helpers/bin.js';

const { dir, cli } = useBinSandbox({ PICTIFY_API_KEY: 'pk_test_e2e_flow' });

const startEmulator = () => startWithReadyFile(cli, ['emulator', '--port', '0'], dir);

describe('end to end against the emulator', () => {
  it('create → list → listen → trigger → verified → events list → replay → delete', async () => {
    const emulator = await startEmulator();
    const base = ['--base-url', emulator.url];
    // listen starts before any subscription exists (as in the README recipe) and picks their secrets up live — the
    // secrets of the API it is pointed at (the README exports PICTIFY_BASE_URL; here the same --base-url).
    const receiver = await startWithReadyFile(
      cli,
      [...base, 'listen', '--port', '0', '--path', '/webhooks/pictify', '--exit-after', '2', '--timeout', '30s'],
      dir,
    );
    expect(receiver.stderr()).toMatch(/secrets: 0/);
    expect(receiver.stderr()).toMatch(/picked up while listening/);
    const target = receiver.url;
    const created = await cli.run([...base, 'create', '--event', 'render.completed', '--url', target, '--json']);
    expect(created.code, created.stderr).toBe(0);
    const sub = JSON.parse(created.stdout);
    expect(sub.secret).toMatch(/^whsec_/);
    const configFile = join(dir, 'config.json');
    expect(statSync(configFile).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(configFile, 'utf8')).profiles.default.secrets[sub.uid].secret).toBe(sub.secret);
    const filtered = await cli.run([
      ...base,
      'create',
      '--event',
      'batch.completed',
      '--url',
      target,
      '--template-id',
      'tmpl_only',
    ]);
    expect(filtered.code, filtered.stderr).toBe(0);

    const listed = await cli.run([...base, 'list', '--event', 'render.completed', '--json']);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout).map((s: { uid: string }) => s.uid)).toEqual([sub.uid]);
    expect(listed.stdout).not.toContain(sub.secret);

    const t1 = await cli.run([...base, 'trigger', 'render.completed']);
    expect(t1.code, t1.stderr).toBe(0);
    // The batch subscription filters on tmpl_only: a batch for another template reaches nobody …
    const miss = await cli.run([...base, 'trigger', 'batch.completed', '--set', 'data.templateUid=tmpl_other']);
    expect(miss.code).toBe(1);
    // … and one for tmpl_only does.
    const hit = await cli.run([...base, 'trigger', 'batch.completed', '--set', 'data.templateUid=tmpl_only']);
    expect(hit.code, hit.stderr).toBe(0);

    const finished = await receiver.done;
    expect(finished.code, finished.stderr).toBe(0);
    const lines = finished.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`✓\\s+render\\.completed .*secret=${sub.uid}`));
    expect(lines[1]).toMatch(/✓\s+batch\.completed .*batch=/);

    const events = await cli.run(['events', 'list', '--json']);
    const stored = JSON.parse(events.stdout);
    expect(stored).toHaveLength(2);
    expect(stored.every((e: { verdict: { ok: boolean } }) => e.verdict.ok)).toBe(true);

    const again = await startWithReadyFile(
      cli,
      [...base, 'listen', '--port', '0', '--store', join(dir, 'second.jsonl')],
      dir,
    );
    const renderEvent = stored.find((e: { event: string }) => e.event === 'render.completed');
    const replay = await cli.run(['replay', renderEvent.id, '--to', again.url]);
    expect(replay.code, replay.stderr).toBe(0);
    expect(replay.stdout).toMatch(/✓ .* → 200 .*re-signed with/);
    again.child.kill('SIGTERM');
    await again.done;

    const deleted = await cli.run([...base, 'delete', sub.uid, '--yes']);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(JSON.parse(readFileSync(configFile, 'utf8')).profiles.default.secrets[sub.uid]).toBeUndefined();
    const after = await cli.run([...base, 'list', '--json']);
    expect(JSON.parse(after.stdout).map((s: { uid: string }) => s.uid)).not.toContain(sub.uid);

    emulator.child.kill('SIGTERM');
    expect((await emulator.done).code).toBe(0);
  });

  it('demo runs the whole loop offline, without a TTY, and exits 0', async () => {
    const started = Date.now();
    const demo = await cli.run(['demo']);
    expect(demo.code, demo.stderr).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    for (const event of [
      'render.completed',
      'render.failed',
      'batch.completed',
      'batch.failed',
      'binding.updated',
      'binding.failed',
    ]) {
      expect(demo.stdout).toMatch(new RegExp(`✓\\s+${event.replace('.', '\\.')}\\s`));
    }
    expect(demo.stdout).toMatch(/6\/6 event types delivered by the emulator, 6 verified by listen/);
    expect(demo.stdout).toMatch(/✓ replay accepted \(200, deduplicated\)/);
    expect(demo.stdout).toMatch(/✓ tampered delivery rejected \(401 signature_mismatch\)/);
    expect(demo.stdout).not.toMatch(/whsec_[A-Za-z0-9_-]{8,}/);
    const json = await cli.run(['demo', '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: true,
      subscriptions: 6,
      verified: 6,
      tampered: { rejected: true, status: 401 },
    });
  });

  it('--help and --version answer from the built bin', async () => {
    const help = await cli.run(['--help']);
    expect(help.code).toBe(0);
    for (const cmd of ['create', 'list', 'listen', 'send', 'sign', 'verify', 'replay', 'check', 'emulator', 'demo'])
      expect(help.stdout).toMatch(new RegExp(`\\n  ${cmd}\\b`));
    const version = await cli.run(['--version']);
    expect(version.stdout.trim()).toBe(
      JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version,
    );
    const bad = await cli.run(['frobnicate']);
    expect(bad.code).toBe(2);
  });
});
