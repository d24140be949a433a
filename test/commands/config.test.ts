// `config`: set/get/unset/list/path of the profile's settings, the key masked.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, useConfigDir } from '../helpers/cli.js';

const dir = useConfigDir();

describe('config', () => {
  it('set/get/unset/list/path, key masked in list', async () => {
    expect((await run(dir, ['config', 'set', 'api-key', 'pk_live_0123456789abcd'])).code).toBe(0);
    expect((await run(dir, ['config', 'set', 'base-url', 'http://127.0.0.1:4010/'])).code).toBe(0);
    expect((await run(dir, ['config', 'get', 'base-url'])).stdout.trim()).toBe('http://127.0.0.1:4010');
    const list = await run(dir, ['config', 'list']);
    expect(list.stdout).toContain('pk_live_…abcd');
    expect(list.stdout).not.toContain('pk_live_0123456789abcd');
    expect(JSON.parse((await run(dir, ['config', 'list', '--json'])).stdout).values['api-key']).toBe('pk_live_…abcd');
    expect((await run(dir, ['config', 'path'])).stdout.trim()).toBe(join(dir, 'config.json'));
    await run(dir, ['config', 'unset', 'base-url']);
    const missing = await run(dir, ['config', 'get', 'base-url']);
    expect(missing.code).toBe(1);
  });

  it('set and unset answer in JSON with --json, the key masked', async () => {
    const set = await run(dir, ['config', 'set', 'api-key', 'pk_live_0123456789abcd', '--json']);
    expect(JSON.parse(set.stdout)).toEqual({
      profile: 'default',
      key: 'api-key',
      value: 'pk_live_…abcd',
      path: join(dir, 'config.json'),
    });
    const unset = await run(dir, ['config', 'unset', 'api-key', '--json']);
    expect(JSON.parse(unset.stdout)).toMatchObject({ key: 'api-key', value: null });
  });

  it('rejects unknown keys and bad values with exit 2', async () => {
    expect((await run(dir, ['config', 'set', 'colour', 'red'])).code).toBe(2);
    const bad = await run(dir, ['config', 'set', 'base-url', 'ftp://x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/only http and https/);
  });
});
