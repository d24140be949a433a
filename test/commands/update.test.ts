// `update` against the stateful msw fake of Pictify's API. It changes one filter without dropping the others (PUT
// replaces the whole filters object), and can clear one filter ('') or all of them (--clear-filters), checked against
// what the API received.
import { beforeEach, describe, expect, it } from 'vitest';
import { readConfig, run, useConfigDir } from '../helpers/cli.js';
import { FAKE_API_ENV, useFakeApi } from '../helpers/msw-api.js';

const fake = useFakeApi();
const env = FAKE_API_ENV;
const dir = useConfigDir();

const config = () => readConfig(dir);
const putBody = () => fake.requests.find((q) => q.method === 'PUT')?.body as { filters?: Record<string, string> };
const filtersNow = async () =>
  JSON.parse((await run(dir, ['--json', 'get', 'wh_test1'], { env })).stdout).filters as Record<string, string>;

describe('update', () => {
  it('update --url changes the API and the stored target url', async () => {
    await run(dir, ['create', '--event', 'render.completed', '--url', 'https://a.example/h'], { env });
    const r = await run(dir, ['update', 'wh_test1', '--url', 'https://b.example/new', '--status', 'paused'], { env });
    expect(r.code).toBe(0);
    expect(fake.requests.at(-1)!.body).toEqual({ targetUrl: 'https://b.example/new', status: 'paused' });
    expect(config().profiles.default.secrets.wh_test1.targetUrl).toBe('https://b.example/new');
    const none = await run(dir, ['update', 'wh_test1'], { env });
    expect(none.code).toBe(2);
  });
});

describe('update --url', () => {
  it('a scheme-less loopback url means http://, as for every url flag', async () => {
    await run(dir, ['create', '--event', 'render.completed', '--url', 'https://a.example/h'], { env });
    const r = await run(dir, ['update', 'wh_test1', '--url', 'localhost:3000/new'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(fake.requests.at(-1)!.body).toEqual({ targetUrl: 'http://localhost:3000/new' });
    expect(config().profiles.default.secrets.wh_test1.targetUrl).toBe('http://localhost:3000/new');
  });
});

describe('update filters', () => {
  beforeEach(async () => {
    const args = ['--template-id', 'tmpl_1', '--binding-id', 'bind_1', '--type', 'pdf'];
    await run(dir, ['create', '--event', 'render.completed', '--url', 'https://a.example/h', ...args], { env });
    fake.requests.length = 0;
  });

  it('changing one filter keeps the others', async () => {
    const r = await run(dir, ['update', 'wh_test1', '--template-id', 'tmpl_2'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(putBody().filters).toEqual({ templateId: 'tmpl_2', bindingId: 'bind_1', type: 'pdf' });
  });

  it("--template-id '' removes just that filter", async () => {
    const r = await run(dir, ['update', 'wh_test1', '--template-id', ''], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(putBody().filters).toEqual({ bindingId: 'bind_1', type: 'pdf' });
    expect(await filtersNow()).toEqual({ bindingId: 'bind_1', type: 'pdf' });
  });

  it("--type '' removes just that filter, like --template-id ''", async () => {
    const r = await run(dir, ['update', 'wh_test1', '--type', ''], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(putBody().filters).toEqual({ templateId: 'tmpl_1', bindingId: 'bind_1' });
  });

  it('--clear-filters removes all of them, and can start afresh with a new one', async () => {
    expect((await run(dir, ['update', 'wh_test1', '--clear-filters'], { env })).code).toBe(0);
    expect(putBody().filters).toEqual({});
    expect(fake.requests.filter((q) => q.method === 'GET')).toHaveLength(0);
    fake.requests.length = 0;
    await run(dir, ['update', 'wh_test1', '--clear-filters', '--binding-id', 'bind_9'], { env });
    expect(putBody().filters).toEqual({ bindingId: 'bind_9' });
  });

  it('a url or status change leaves filters out of the PUT', async () => {
    await run(dir, ['update', 'wh_test1', '--status', 'paused'], { env });
    expect(putBody()).not.toHaveProperty('filters');
  });

  it('nothing to update names --clear-filters too (exit 2)', async () => {
    const r = await run(dir, ['update', 'wh_test1'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--clear-filters');
  });
});
