// `get` against the stateful msw fake of Pictify's API.
import { describe, expect, it } from 'vitest';
import { run, useConfigDir } from '../helpers/cli.js';
import { FAKE_API_ENV, useFakeApi } from '../helpers/msw-api.js';

useFakeApi();
const env = FAKE_API_ENV;
const dir = useConfigDir();

describe('get', () => {
  it('get shows one subscription; --json masks nothing it does not have', async () => {
    await run(dir, ['create', '--event', 'render.completed', '--url', 'https://a.example/h'], { env });
    const r = await run(dir, ['get', 'wh_test1', '--json'], { env });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ uid: 'wh_test1', status: 'active' });
    const later = await run(dir, ['get', 'wh_test1'], { env, now: Date.parse('2026-11-29T12:00:00Z') });
    expect(later.stdout).toMatch(/^created +2026-11-26T12:00:00\.000Z \(3 d ago\)$/m);
    const missing = await run(dir, ['get', 'wh_nope'], { env });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/404/);
  });
});
