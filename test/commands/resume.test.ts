// `resume` against the stateful msw fake of Pictify's API, which (like Pictify) refuses resume to API keys.
import { describe, expect, it } from 'vitest';
import { run, useConfigDir } from '../helpers/cli.js';
import { FAKE_API_ENV, useFakeApi } from '../helpers/msw-api.js';

useFakeApi();
const env = FAKE_API_ENV;
const dir = useConfigDir();

describe('resume', () => {
  it('resume refused to API keys points to update --status active', async () => {
    await run(dir, ['create', '--event', 'render.completed', '--url', 'https://a.example/h'], { env });
    const resume = await run(dir, ['resume', 'wh_test1'], { env });
    expect(resume.code).toBe(1);
    expect(resume.stderr).toMatch(/update wh_test1 --status active/);
  });
});
