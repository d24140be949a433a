// Secrets remember the API they came from (issue 24): listen verifies with the current API's only and says how many
// it left out; `secrets prune` forgets those whose subscription is gone, and other APIs' only with --other-apis.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { postDelivery } from '../../src/outbound/post.js';
import { FIXED_NOW, readConfig, run, useConfigDir } from '../helpers/cli.js';
import { API, FAKE_API_ENV, useFakeApi } from '../helpers/msw-api.js';
import { signedSample, waitForFile } from '../unit/receiver/deliver.js';

const fake = useFakeApi({ passLoopback: true });
const env = FAKE_API_ENV;
const dir = useConfigDir();
const OTHER_API = 'http://127.0.0.1:4010';

const secrets = () => readConfig(dir).profiles.default.secrets as Record<string, { secret: string; baseUrl?: string }>;

/** wh_test1 (alive), wh_test2 (gone at the API), wh_emu (an emulator since stopped), wh_old (no base url, gone). */
async function seed(): Promise<void> {
  for (let i = 0; i < 2; i++) {
    const r = await run(dir, ['create', '--event', 'render.completed', '--url', 'https://a.example/h'], { env });
    expect(r.code, r.stderr).toBe(0);
  }
  fake.subs.delete('wh_test2');
  const emu = await run(dir, ['secrets', 'set', 'wh_emu', 'whsec_emulator'], {
    env: { ...env, PICTIFY_BASE_URL: OTHER_API },
  });
  expect(emu.code, emu.stderr).toBe(0);
  const config = readConfig(dir);
  config.profiles.default.secrets.wh_old = { secret: 'whsec_old_record' };
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config), { mode: 0o600 });
}

describe('secrets and the API they came from', () => {
  it('create and secrets set record the base url', async () => {
    await seed();
    expect(secrets().wh_test1.baseUrl).toBe(API);
    expect(secrets().wh_emu.baseUrl).toBe(OTHER_API);
  });

  it("listen verifies with the current API's secrets (and old records), says how many it skipped", async () => {
    await seed();
    const readyFile = join(dir, 'ready');
    const result = run(dir, ['listen', '--port', '0', '--no-store', '--exit-after', '2', '--ready-file', readyFile], {
      env,
    });
    const url = await waitForFile(readyFile);
    const post = (secret: string, deliveryId: string) =>
      postDelivery(url, signedSample('render.completed', { nowMs: FIXED_NOW, secret, deliveryId }));
    const emu = await post('whsec_emulator', 'del_emu');
    expect(emu.status).toBe(401);
    // The rejection names the secret and why it was not tried, in verify's words.
    expect(JSON.parse(emu.body).message).toBe(
      'no v1 signature matches the raw body with any of the 3 secrets: the signature matches the stored secret of ' +
        `wh_emu; it was kept for another API, and listen verifies with those of ${API} (its --base-url)`,
    );
    expect((await post(secrets().wh_test1.secret, 'del_1')).status).toBe(200);
    expect((await post('whsec_old_record', 'del_old')).status).toBe(200);
    const { code, stderr } = await result;
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(/Ready: listening on \S+ — secrets: 3 \(wh_test1, wh_test2, wh_old\)\n/);
    expect(stderr).toContain(
      "  1 stored secret skipped as another API's (`pictify-hooks secrets prune --other-apis` removes them)\n",
    );
  });

  it("a secret stored for another API while listening: the rejection says so (re-read with the profile's)", async () => {
    const readyFile = join(dir, 'ready-late');
    const result = run(
      dir,
      ['listen', '--port', '0', '--no-store', '--exit-after', '1', '--timeout', '5s', '--ready-file', readyFile],
      { env },
    );
    const url = await waitForFile(readyFile);
    const late = await run(dir, ['secrets', 'set', 'wh_late', 'whsec_late'], {
      env: { ...env, PICTIFY_BASE_URL: OTHER_API },
    });
    expect(late.code, late.stderr).toBe(0);
    const answer = await postDelivery(
      url,
      signedSample('render.completed', { nowMs: FIXED_NOW, secret: 'whsec_late' }),
    );
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body).message).toContain(
      `the signature matches the stored secret of wh_late; it was kept for another API, and listen verifies with those of ${API}`,
    );
    await result;
  });

  it('prune --dry-run lists what is gone at the current API and removes nothing; prune removes it', async () => {
    await seed();
    const dry = await run(dir, ['secrets', 'prune', '--dry-run'], { env });
    expect({ code: dry.code, stdout: dry.stdout, stderr: dry.stderr }).toEqual({
      code: 0,
      stdout:
        `would remove wh_test2 (render.completed): no such subscription at ${API}\n` +
        `would remove wh_old: no such subscription at ${API}\n`,
      stderr:
        'Dry run: 2 secrets would be removed, 2 kept in profile "default" (1 of other APIs, not checked: ' +
        '--other-apis removes them).\n',
    });
    expect(Object.keys(secrets()).sort()).toEqual(['wh_emu', 'wh_old', 'wh_test1', 'wh_test2']);

    const pruned = await run(dir, ['secrets', 'prune'], { env });
    expect(pruned.code, pruned.stderr).toBe(0);
    expect(pruned.stdout).toContain('removed wh_test2 (render.completed): no such subscription at');
    expect(Object.keys(secrets()).sort()).toEqual(['wh_emu', 'wh_test1']);

    const others = await run(dir, ['secrets', 'prune', '--other-apis', '--json'], { env });
    expect(JSON.parse(others.stdout)).toMatchObject({
      removed: [{ uid: 'wh_emu', reason: 'other-api', baseUrl: OTHER_API }],
      kept: 1,
    });
    expect(Object.keys(secrets())).toEqual(['wh_test1']);
  });

  it('an API that fails (not a 404) stops the prune before anything is removed', async () => {
    await seed();
    const r = await run(dir, ['secrets', 'prune'], { env: { ...env, PICTIFY_API_KEY: '' } });
    expect(r.code).toBe(4);
    expect(Object.keys(secrets()).sort()).toEqual(['wh_emu', 'wh_old', 'wh_test1', 'wh_test2']);
  });
});
