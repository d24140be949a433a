// `delete` against the stateful msw fake of Pictify's API: confirmation off and on a terminal, and the stored secret
// goes with the subscription.
import { describe, expect, it } from 'vitest';
import { readConfig, run, useConfigDir } from '../helpers/cli.js';
import { FAKE_API_ENV, useFakeApi } from '../helpers/msw-api.js';

const fake = useFakeApi();
const env = FAKE_API_ENV;
const dir = useConfigDir();

const config = () => readConfig(dir);

describe('delete', () => {
  it('delete needs --yes off a TTY, then removes the subscription and its secret', async () => {
    await run(dir, ['create', '--event', 'render.completed', '--url', 'https://a.example/h'], { env });
    fake.requests.length = 0;
    const refused = await run(dir, ['delete', 'wh_test1'], { env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--yes/);
    expect(fake.requests).toHaveLength(0);
    const r = await run(dir, ['delete', 'wh_test1', '--yes'], { env });
    expect(r.code).toBe(0);
    expect(fake.subs.has('wh_test1')).toBe(false);
    expect(config().profiles.default.secrets.wh_test1).toBeUndefined();
  });

  it('delete asks on a TTY; declined, it says "Nothing deleted" and exits 1', async () => {
    await run(dir, ['create', '--event', 'render.completed', '--url', 'https://a.example/h'], { env });
    const questions: string[] = [];
    const r = await run(dir, ['delete', 'wh_test1'], {
      env,
      stdinIsTTY: true,
      stderrIsTTY: true,
      confirm: async (q) => (questions.push(q), false),
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Nothing deleted');
    expect(questions[0]).toMatch(/wh_test1/);
    expect(fake.subs.has('wh_test1')).toBe(true);
  });

  it('a subscription already gone at Pictify (404): its stored secret is removed, exit 0; with none stored, exit 1', async () => {
    await run(dir, ['create', '--event', 'render.completed', '--url', 'https://a.example/h'], { env });
    fake.subs.delete('wh_test1'); // deleted in the dashboard
    const r = await run(dir, ['delete', 'wh_test1', '--yes'], { env });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('wh_test1 was already gone at Pictify; removed its stored secret.');
    expect(config().profiles.default.secrets.wh_test1).toBeUndefined();
    const again = await run(dir, ['delete', 'wh_test1', '--yes'], { env });
    expect(again.code).toBe(1);
  });
});
