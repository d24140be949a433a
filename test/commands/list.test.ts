// `list` against the stateful msw fake of Pictify's API: filters, pages, retries; and what a script gets: stdout holds
// only the data (the --json array), and stderr says what the page left out or that the page is past the end.
import { http, HttpResponse } from 'msw';
import { beforeEach, describe, expect, it } from 'vitest';
import { pageFooter } from '../../src/commands/list/run.js';
import { run, useConfigDir } from '../helpers/cli.js';
import { API, FAKE_API_ENV, useFakeApi } from '../helpers/msw-api.js';

const fake = useFakeApi();
const env = FAKE_API_ENV;
const dir = useConfigDir();

describe('list', () => {
  it('sends server filters, applies client filters, prints a table or JSON', async () => {
    await run(dir, ['create', '--event', 'render.completed', '--url', 'https://a.example/h', '--template-id', 't1'], {
      env,
    });
    await run(dir, ['create', '--event', 'render.completed', '--url', 'https://b.example/h', '--template-id', 't2'], {
      env,
    });
    await run(dir, ['create', '--event', 'batch.failed', '--url', 'https://c.example/h'], { env });
    fake.requests.length = 0;
    const r = await run(dir, ['list', '--event', 'render.completed', '--template-id', 't2', '--json'], { env });
    expect(r.code).toBe(0);
    expect(fake.requests[0].url.searchParams.get('event')).toBe('render.completed');
    const subs = JSON.parse(r.stdout);
    expect(subs.map((s: { uid: string }) => s.uid)).toEqual(['wh_test2']);
    const table = await run(dir, ['list'], { env });
    expect(table.stdout.split('\n')[0]).toMatch(/^UID\s+EVENT\s+STATUS\s+URL/);
    expect(table.stdout).toContain('https://c.example/h');
  });

  it('the DELIVERIES column: the count, with the failed ones only when there are some', async () => {
    for (const host of ['new', 'busy', 'fine'])
      await run(dir, ['create', '--event', 'render.completed', '--url', `https://${host}.example/h`], { env });
    Object.assign(fake.subs.get('wh_test2')!, { deliveryCount: 12, failureCount: 3 });
    Object.assign(fake.subs.get('wh_test3')!, { deliveryCount: 7, failureCount: 0 });
    const r = await run(dir, ['list'], { env });
    expect(r.code).toBe(0);
    const cell = (uid: string) =>
      r.stdout
        .split('\n')
        .find((line) => line.startsWith(uid))!
        .trimEnd()
        .split(/\s{2,}/)
        .at(-1);
    expect(cell('wh_test1')).toBe('0');
    expect(cell('wh_test2')).toBe('12 (3✗)');
    expect(cell('wh_test3')).toBe('7');
  });

  it('--all walks every page', async () => {
    for (let i = 0; i < 5; i++)
      await run(dir, ['create', '--event', 'render.failed', '--url', `https://e.example/${i}`], { env });
    fake.requests.length = 0;
    const r = await run(dir, ['list', '--all', '--limit', '2', '--json'], { env });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveLength(5);
    expect(fake.requests.map((q) => q.url.searchParams.get('page'))).toEqual(['1', '2', '3']);
  });

  it('without --all tells how to get the next page', async () => {
    for (let i = 0; i < 3; i++)
      await run(dir, ['create', '--event', 'render.failed', '--url', `https://e.example/${i}`], { env });
    const r = await run(dir, ['list', '--limit', '2'], { env });
    expect(r.stderr).toContain('2 of 3 shown — --all for every page, --page 2 for the next');
  });

  it('rejects a bad --status with exit 2', async () => {
    const r = await run(dir, ['list', '--status', 'sleeping'], { env });
    expect(r.code).toBe(2);
  });
});

describe('list pages', () => {
  beforeEach(async () => {
    for (let i = 0; i < 5; i++)
      await run(dir, ['create', '--event', 'render.failed', '--url', `https://e.example/${i}`], { env });
  });

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

describe('retries seen from the command line', () => {
  it('--max-retry-wait caps a long Retry-After, and each wait is announced on stderr', async () => {
    let calls = 0;
    fake.server.use(
      http.get(`${API}/webhook-subscriptions`, () => {
        calls += 1;
        return calls < 3
          ? HttpResponse.json({ message: 'busy' }, { status: 503, headers: { 'Retry-After': '120' } })
          : undefined;
      }),
    );
    const started = Date.now();
    const r = await run(dir, ['list', '--max-retry-wait', '50ms', '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(calls).toBe(3);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(r.stderr.match(/retrying in 50 ms \(attempt \d\)/g)).toHaveLength(2);
    expect(JSON.parse(r.stdout)).toEqual([]);
  });
});
