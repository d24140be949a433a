// `pause` against the stateful msw fake of Pictify's API, which (like Pictify) refuses pause to API keys.
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { run, useConfigDir } from '../helpers/cli.js';
import { API, FAKE_API_ENV, useFakeApi } from '../helpers/msw-api.js';

const fake = useFakeApi();
const env = FAKE_API_ENV;
const dir = useConfigDir();

describe('pause', () => {
  it('pause of an unknown uid says it is not found instead of pointing to update', async () => {
    fake.server.use(
      http.post(`${API}/webhook-subscriptions/:uid/pause`, () =>
        HttpResponse.json({ message: 'Not found' }, { status: 404 }),
      ),
    );
    const r = await run(dir, ['pause', 'wh_nope'], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/404/);
    expect(r.stderr).not.toMatch(/--status paused/);
  });

  it('pause refused to API keys points to update --status', async () => {
    await run(dir, ['create', '--event', 'render.completed', '--url', 'https://a.example/h'], { env });
    const r = await run(dir, ['pause', 'wh_test1'], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/update wh_test1 --status paused/);
  });
});
