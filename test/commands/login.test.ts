// login checks the key with one API call before saving it (here against the built-in emulator, pinned to one key),
// says whose key works, exits 4 with the API's reason and saves nothing when the key is rejected.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useEmulator } from '../helpers/emulator.js';
import { readConfig, run, useConfigDir } from '../helpers/cli.js';

const KEY = 'pk_test_abcdefghijklmnop';
const dir = useConfigDir();
const emu = useEmulator({ apiKey: KEY });

const config = () => readConfig(dir);
const env = () => ({ PICTIFY_BASE_URL: emu.url });

describe('login', () => {
  it('--api-key-stdin checks the key, then stores it, masked in output', async () => {
    const r = await run(dir, ['login', '--api-key-stdin'], { stdin: `${KEY}\n`, env: env() });
    expect(r.code, r.stderr).toBe(0);
    expect(config().profiles.default.apiKey).toBe(KEY);
    expect(r.stdout + r.stderr).not.toContain(KEY);
    expect(r.stderr).toContain(`API key pk_test_…mnop works: ${emu.url} accepts it (the account has 0 subscriptions).`);
    expect(r.stderr).toContain('Saved to profile "default"');
  });

  it('a rejected key exits 4 with the API reason and is not saved', async () => {
    const r = await run(dir, ['login', '--api-key-stdin'], { stdin: 'pk_test_wrongwrongwrong1\n', env: env() });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/rejected the API key pk_test_…ong1: API error 401/);
    expect(r.stderr).toContain('nothing was saved');
    expect(existsSync(join(dir, 'config.json')) ? config().profiles?.default?.apiKey : undefined).toBeUndefined();
  });

  it('--no-verify saves without calling the API', async () => {
    await emu.close();
    const r = await run(dir, ['login', '--api-key-stdin', '--no-verify'], {
      stdin: 'pk_test_unchecked12345\n',
      env: env(),
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('not checked (--no-verify)');
    expect(config().profiles.default.apiKey).toBe('pk_test_unchecked12345');
  });

  it('an API that cannot be reached exits 1, saves nothing, and points at --no-verify', async () => {
    await emu.close();
    const r = await run(dir, ['login', '--api-key-stdin'], { stdin: `${KEY}\n`, env: env() });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/could not check the key with http:\/\/127\.0\.0\.1:\d+/);
    expect(r.stderr).toContain('--no-verify');
  });

  it('prompts without echo on a TTY, in the chosen profile; --json reports it', async () => {
    const asked: string[] = [];
    const r = await run(dir, ['--profile', 'ci', '--json', 'login'], {
      stdinIsTTY: true,
      promptHidden: async (q) => (asked.push(q), KEY),
      env: env(),
    });
    expect(r.code, r.stderr).toBe(0);
    expect(asked).toEqual(['Pictify API key: ']);
    expect(config().profiles.ci.apiKey).toBe(KEY);
    expect(JSON.parse(r.stdout)).toMatchObject({
      profile: 'ci',
      apiKey: 'pk_test_…mnop',
      baseUrl: emu.url,
      verified: true,
      subscriptions: 0,
    });
  });

  it('refuses to wait for a prompt off a TTY', async () => {
    const r = await run(dir, ['login'], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--api-key-stdin/);
  });

  it('rejects an empty key before any request', async () => {
    const r = await run(dir, ['login', '--api-key-stdin'], { stdin: '\n', env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('empty API key');
  });
});
