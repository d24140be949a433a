// `cleanup` in-process against the emulator: leftovers of dead listens are deleted (subscription and secret), a
// live listen's and another host's are left and named, --dry-run touches nothing, a failed delete is exit 1 with
// the uid and keeps the record.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { hostname } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { openConfig } from '../../src/store/config.js';
import { run, useConfigDir } from '../helpers/cli.js';
import { call } from '../unit/emulator/support.js';

const dir = useConfigDir();
let emu: RunningEmulator;
let env: Record<string, string>;
let sleeper: ChildProcess;

beforeEach(async () => {
  emu = await startEmulator();
  env = { PICTIFY_BASE_URL: emu.url, PICTIFY_API_KEY: 'pk_test_cleanup', NO_COLOR: '1' };
  sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
});
afterEach(async () => {
  sleeper.kill('SIGKILL');
  await emu.close();
});

const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;

/** A subscription on the emulator whose secret is recorded as temporary, owned by `pid` on `host`. */
async function temporary(event: string, pid: number, host = hostname()) {
  const sub = (
    await call(emu.url, 'POST', '/webhook-subscriptions', {
      body: { event, targetUrl: 'http://127.0.0.1:9/webhooks/pictify' },
    })
  ).json.subscription as { uid: string; secret: string };
  const config = await openConfig({ cwd: dir });
  config.saveSecret('default', sub.uid, {
    secret: sub.secret,
    event,
    temporary: { pid, hostname: host, startedAt: '2026-11-26T11:00:00.000Z', publicUrl: 'https://x.trycloudflare.com' },
  });
  return sub.uid;
}

const remaining = () => emu.store.subscriptions().map((s) => s.uid);
const secrets = async () => Object.keys((await openConfig({ cwd: dir })).secrets('default'));

describe('cleanup', () => {
  it('deletes the leftovers of dead listens; leaves a live one and another host’s, naming each', async () => {
    const dead = await temporary('render.completed', deadPid());
    const live = await temporary('render.failed', sleeper.pid!);
    const far = await temporary('batch.completed', deadPid(), 'another-host');
    const r = await run(dir, ['cleanup'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      new RegExp(`Deleted ${dead} \\(render\\.completed\\), left by listen pid \\d+ \\(started 60 min ago\\)`),
    );
    expect(r.stderr).toContain(`Left ${live} (render.failed): its listen (pid ${sleeper.pid}) is still running.`);
    expect(r.stderr).toContain(`Left ${far} (batch.completed): made on host another-host`);
    expect(remaining().sort()).toEqual([live, far].sort());
    expect((await secrets()).sort()).toEqual([live, far].sort());
  });

  it('--dry-run says what it would delete and deletes nothing; --json reports the same as data', async () => {
    const dead = await temporary('render.completed', deadPid());
    const dry = await run(dir, ['cleanup', '--dry-run'], { env });
    expect(dry.code).toBe(0);
    expect(dry.stderr).toContain(`Would delete ${dead} (render.completed)`);
    expect(remaining()).toEqual([dead]);

    const json = await run(dir, ['--json', 'cleanup'], { env });
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report.deleted.map((e: { uid: string }) => e.uid)).toEqual([dead]);
    expect(report).toMatchObject({ profile: 'default', failed: [], live: [], elsewhere: [] });
    expect(remaining()).toEqual([]);
  });

  it('an API that cannot be reached: exit 1, the uid named, the record kept for the next try', async () => {
    const dead = await temporary('render.completed', deadPid());
    const closed = await startEmulator();
    const url = closed.url;
    await closed.close();
    const r = await run(dir, ['cleanup'], { env: { ...env, PICTIFY_BASE_URL: url, PICTIFY_MAX_RETRY_WAIT: '10ms' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`could not delete temporary subscription ${dead}`);
    expect(await secrets()).toEqual([dead]);
    const again = await run(dir, ['cleanup'], { env });
    expect(again.code).toBe(0);
    expect(remaining()).toEqual([]);
  });

  it('nothing temporary: says so, exit 0, and needs no API key', async () => {
    const config = await openConfig({ cwd: dir });
    config.saveSecret('default', 'wh_ordinary', { secret: 'whsec_plain' });
    const r = await run(dir, ['cleanup'], { env: { NO_COLOR: '1' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('No temporary subscriptions to clean up in profile "default".');
    expect(await secrets()).toEqual(['wh_ordinary']);
  });
});
