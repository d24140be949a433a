// logout forgets the profile's key, says which one, and warns when PICTIFY_API_KEY still provides one.
import { describe, expect, it } from 'vitest';
import { readConfig, run, useConfigDir } from '../helpers/cli.js';

const dir = useConfigDir();
const config = () => readConfig(dir);
// --no-verify: logout needs a stored key, not an API.
const login = () => run(dir, ['login', '--api-key-stdin', '--no-verify'], { stdin: 'pk_test_abcdefghijklmnop' });

describe('logout', () => {
  it('removes the key from the profile and says which one', async () => {
    await login();
    const r = await run(dir, ['logout']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Removed API key pk_test_…mnop from profile "default"');
    expect(config().profiles.default.apiKey).toBeUndefined();
    const again = await run(dir, ['logout']);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('No API key was stored in profile "default"');
  });

  it('warns when PICTIFY_API_KEY still provides a key', async () => {
    await login();
    const r = await run(dir, ['logout'], { env: { PICTIFY_API_KEY: 'pk_test_fromenv1234567' } });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('PICTIFY_API_KEY is still set in this shell');
  });
});
