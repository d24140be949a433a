// What a script gets from `list`: stdout holds only the data (the --json array), and stderr says what the page
// left out or that the page is past the end.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pageFooter } from '../../src/commands/list-run.js';
import { run, tempConfigDir } from '../helpers/cli.js';
import { API, createFakeApi } from '../helpers/msw-api.js';

const fake = createFakeApi();
const env = { PICTIFY_API_KEY: 'pk_test_0123456789abcdef', PICTIFY_BASE_URL: API };
let dir: string;
let cleanup: () => void;
beforeAll(() => fake.server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => fake.server.close());
beforeEach(async () => {
  ({ dir, cleanup } = tempConfigDir());
  fake.reset();
  for (let i = 0; i < 5; i++)
    await run(dir, ['create', '--event', 'render.failed', '--url', `https://e.example/${i}`], { env });
});
afterEach(() => cleanup());

describe('list pages', () => {
  it('--json without --all: the array alone on stdout, "2 of 5 shown" on stderr', async () => {
    const r = await run(dir, ['list', '--limit', '2', '--json'], { env });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveLength(2);
    expect(r.stderr).toBe('2 of 5 shown — --all for every page, --page 2 for the next\n');
  });

  it('a middle and the last page say which range they hold', async () => {
    expect((await run(dir, ['list', '--limit', '2', '--page', '2'], { env })).stderr).toContain(
      '3–4 of 5 shown — --all for every page, --page 3 for the next',
    );
    const last = await run(dir, ['list', '--limit', '2', '--page', '3', '--json'], { env });
    expect(JSON.parse(last.stdout)).toHaveLength(1);
    expect(last.stderr).toBe('5–5 of 5 shown — --all for every page\n');
  });

  it('--page past the end says so (not "no subscriptions match"), exit 0 with an empty array', async () => {
    const r = await run(dir, ['list', '--limit', '2', '--page', '99'], { env });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('page 99 is past the end: 5 subscriptions fill 3 pages of 2 — try --page 3 or --all');
    expect(r.stderr).not.toContain('No subscriptions match');
    const json = await run(dir, ['list', '--limit', '2', '--page', '99', '--json'], { env });
    expect(JSON.parse(json.stdout)).toEqual([]);
    expect(json.stderr).toContain('past the end');
  });

  it('one page that holds everything adds nothing on stderr', async () => {
    const r = await run(dir, ['list', '--json'], { env });
    expect(JSON.parse(r.stdout)).toHaveLength(5);
    expect(r.stderr).toBe('');
  });

  it('pageFooter: one page, first page, empty account', () => {
    const p = { page: 1, limit: 20, total: 26, totalPages: 2, hasNext: true, hasPrev: false };
    expect(pageFooter(p, 20)).toBe('20 of 26 shown — --all for every page, --page 2 for the next');
    expect(pageFooter({ ...p, total: 3, totalPages: 1, hasNext: false }, 3)).toBe('');
    expect(pageFooter({ ...p, page: 2, total: 0, totalPages: 0, hasNext: false }, 0)).toBe(
      'page 2 is past the end: 0 subscriptions fill 0 pages of 20 — try --page 1 or --all',
    );
  });
});
