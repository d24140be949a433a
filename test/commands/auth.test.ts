// auth status says which key is used, from where, against which API, and whether that API accepts it
// (exit 0 yes, 4 missing or rejected, 1 unreachable), in text and --json.
import { describe, expect, it } from 'vitest';
import { run, useConfigDir } from '../helpers/cli.js';
import { useEmulator } from '../helpers/emulator.js';

const KEY = 'pk_test_abcdefghijklmnop';
const dir = useConfigDir();
const emu = useEmulator({ apiKey: KEY });
const login = (key = KEY) =>
  run(dir, ['login', '--api-key-stdin', '--no-verify'], { stdin: key, env: { PICTIFY_BASE_URL: emu.url } });

describe('auth status', () => {
  it('a stored key the API accepts: profile, masked key, source, base url, yes — exit 0', async () => {
    await login();
    const r = await run(dir, ['auth', 'status'], { env: { PICTIFY_BASE_URL: emu.url } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^profile\s+default \(.*config\.json\)$/m);
    expect(r.stdout).toMatch(/^api key\s+pk_test_…mnop stored in the profile$/m);
    expect(r.stdout).toMatch(new RegExp(`^base url\\s+${emu.url} \\(from PICTIFY_BASE_URL\\)$`, 'm'));
    expect(r.stdout).toMatch(/^accepted\s+yes — .* accepts it \(the account has 0 subscriptions\)$/m);
    expect(r.stdout + r.stderr).not.toContain(KEY);
  });

  it('flag beats env beats profile, and --json says where the key came from', async () => {
    await login('pk_test_profileprofile1');
    const base = ['--base-url', emu.url, '--json', 'auth', 'status'];
    const fromEnv = await run(dir, base, { env: { PICTIFY_API_KEY: KEY } });
    expect(fromEnv.code).toBe(0);
    expect(JSON.parse(fromEnv.stdout)).toMatchObject({
      profile: 'default',
      apiKey: { masked: 'pk_test_…mnop', source: 'env' },
      baseUrl: { value: emu.url, source: 'flag' },
      accepted: true,
      subscriptions: 0,
    });
    const fromFlag = await run(dir, ['--api-key', KEY, ...base], { env: { PICTIFY_API_KEY: 'pk_test_envenvenvenv1' } });
    expect(JSON.parse(fromFlag.stdout).apiKey.source).toBe('flag');
  });

  it('a rejected key: accepted no, the reason, exit 4 (text and --json)', async () => {
    await login('pk_test_profileprofile1');
    const r = await run(dir, ['auth', 'status'], { env: { PICTIFY_BASE_URL: emu.url } });
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/^accepted\s+no$/m);
    expect(r.stderr).toMatch(/rejected the API key pk_test_…ile1: API error 401/);
    const json = await run(dir, ['--json', 'auth', 'status'], { env: { PICTIFY_BASE_URL: emu.url } });
    expect(json.code).toBe(4);
    expect(JSON.parse(json.stdout)).toMatchObject({ accepted: false, reason: expect.stringContaining('401') });
    expect(json.stderr).toBe('');
  });

  it('no key anywhere: exit 4 and how to log in; no request made', async () => {
    await emu.close();
    const r = await run(dir, ['auth', 'status'], { env: { PICTIFY_BASE_URL: emu.url } });
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/^api key\s+none$/m);
    expect(r.stderr).toContain('pictify-hooks login');
  });

  it('an unreachable API: accepted unknown, exit 1; --no-verify makes no call and exits 0', async () => {
    await login();
    await emu.close();
    const r = await run(dir, ['auth', 'status'], { env: { PICTIFY_BASE_URL: emu.url } });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^accepted\s+unknown — could not reach the API$/m);
    const skip = await run(dir, ['auth', 'status', '--no-verify'], { env: { PICTIFY_BASE_URL: emu.url } });
    expect(skip.code).toBe(0);
    expect(skip.stdout).toMatch(/^accepted\s+not checked \(--no-verify\)$/m);
  });
});
