// Failures every command meets the same way, through one error map and one config store: a rejected or malformed
// API key, and a config file that is corrupt, of the wrong shape, or too open.
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { run, useConfigDir } from '../helpers/cli.js';
import { API, FAKE_API_ENV, useFakeApi } from '../helpers/msw-api.js';

const fake = useFakeApi();
const env = FAKE_API_ENV;
const dir = useConfigDir();

describe('auth and config failures', () => {
  it('a rejected key exits 4 with the login hint', async () => {
    fake.server.use(
      http.get(
        `${API}/webhook-subscriptions`,
        () => HttpResponse.json({ message: 'Invalid API key' }, { status: 401 }),
        { once: true },
      ),
    );
    const r = await run(dir, ['list'], { env });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/Invalid API key/);
    expect(r.stderr).toMatch(/pictify-hooks login/);
    expect(r.stderr).not.toContain(env.PICTIFY_API_KEY);
  });

  it('a key with a newline in it exits 4 without being echoed or sent', async () => {
    const r = await run(dir, ['list'], { env: { ...env, PICTIFY_API_KEY: 'pk_live_SUPERSECRET\r\nX: y' } });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/control characters/);
    expect(r.stderr).not.toContain('SUPERSECRET');
    expect(fake.requests).toHaveLength(0);
  });

  it('a corrupted config is reported with its path and left untouched', async () => {
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'config.json');
    writeFileSync(path, '{"profiles": {"default": {"secrets": {');
    chmodSync(path, 0o600);
    const r = await run(dir, ['secrets', 'list']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(path);
    expect(r.stderr).toMatch(/not valid.*nothing was changed/);
    expect(readFileSync(path, 'utf8')).toBe('{"profiles": {"default": {"secrets": {');
    const create = await run(dir, ['create', '--event', 'render.completed', '--url', 'https://a.example/h'], { env });
    expect(create.code).toBe(1);
    expect(readFileSync(path, 'utf8')).toBe('{"profiles": {"default": {"secrets": {');
  });

  it.each([
    ['null', 'the top level is not an object'],
    ['[1,2]', 'the top level is not an object'],
    ['{"profiles":{"default":"oops"}}', 'profile "default" is not an object'],
    [
      '{"profiles":{"default":{"secrets":{"wh_1":"whsec_plain"}}}}',
      'profiles.default.secrets.wh_1 has no "secret" string',
    ],
    ['{"profiles":{"default":{"apiKey":42}}}', 'profiles.default.apiKey is not a string'],
  ])('a config of the wrong shape (%s) is reported where it is wrong, and kept', async (content, where) => {
    const path = join(dir, 'config.json');
    writeFileSync(path, content);
    for (const args of [
      ['secrets', 'list'],
      ['secrets', 'set', 'wh_2', 'whsec_abcdefghijkl'],
      ['config', 'list'],
    ]) {
      const r = await run(dir, args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toContain(path);
      expect(r.stderr).toContain(where);
      expect(r.stderr).not.toMatch(/unexpected failure/);
    }
    expect(readFileSync(path, 'utf8')).toBe(content);
  });

  it('an existing 0644 config is tightened to 0600 on the next write', async () => {
    const path = join(dir, 'config.json');
    writeFileSync(path, '{}', { mode: 0o644 });
    chmodSync(path, 0o644);
    await run(dir, ['config', 'set', 'base-url', 'http://127.0.0.1:4010']);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});
