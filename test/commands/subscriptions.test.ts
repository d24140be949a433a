import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { run, tempConfigDir } from '../helpers/cli.js';
import { API, createFakeApi } from '../helpers/msw-api.js';

const fake = createFakeApi();
const env = { PICTIFY_API_KEY: 'pk_test_0123456789abcdef', PICTIFY_BASE_URL: API };
let dir: string;
let cleanup: () => void;

beforeAll(() => fake.server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => fake.server.close());
beforeEach(() => {
  ({ dir, cleanup } = tempConfigDir());
  fake.reset();
});
afterEach(() => cleanup());

const config = () => JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));

describe('create', () => {
  it('stores the secret with mode 0600 before printing it once', async () => {
    const r = await run(
      dir,
      [
        'create',
        '--event',
        'render.completed',
        '--url',
        'https://example.com/h',
        '--template-id',
        'tmpl_1',
        '--type',
        'pdf',
      ],
      { env },
    );
    expect(r.code).toBe(0);
    const stored = config().profiles.default.secrets.wh_test1;
    expect(stored).toMatchObject({ event: 'render.completed', targetUrl: 'https://example.com/h' });
    expect(stored.secret).toMatch(/^whsec_SECRET1/);
    expect(statSync(join(dir, 'config.json')).mode & 0o777).toBe(0o600);
    expect(r.stdout.split(stored.secret).length - 1).toBe(1);
    expect(r.stdout).toContain('wh_test1');
    expect(r.stdout).toContain('templateId=tmpl_1');
    expect(r.stderr).toContain(join(dir, 'config.json'));
    const post = fake.requests.find((q) => q.method === 'POST')!;
    expect(post.body).toEqual({
      event: 'render.completed',
      targetUrl: 'https://example.com/h',
      filters: { templateId: 'tmpl_1', type: 'pdf' },
    });
    expect(post.headers['authorization']).toBe('Bearer pk_test_0123456789abcdef');
    expect(post.headers['idempotency-key']).toBeTruthy();
    expect(post.headers['user-agent']).toMatch(/^pictify-hooks\/\d/);
  });

  it('--json prints the created subscription with its secret', async () => {
    const r = await run(dir, ['create', '--event', 'batch.completed', '--url', 'https://example.com/h', '--json'], {
      env,
    });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.uid).toBe('wh_test1');
    expect(out.secret).toBe(config().profiles.default.secrets.wh_test1.secret);
    expect(out.storedIn).toBe(join(dir, 'config.json'));
  });

  it('still prints the secret, loudly, and exits 1 when it cannot be saved', async () => {
    const r = await run(dir, ['create', '--event', 'render.completed', '--url', 'https://example.com/h'], {
      env,
      patch: (ctx) => {
        const open = ctx.config.bind(ctx);
        ctx.config = async () => {
          const store = await open();
          store.saveSecret = () => {
            throw new Error('disk full');
          };
          return store;
        };
      },
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/whsec_SECRET1/);
    expect(r.stderr).toMatch(/could NOT be saved \(disk full\)/);
  });

  it('rejects an unknown event with exit 2 and sends nothing', async () => {
    const r = await run(dir, ['create', '--event', 'render.done', '--url', 'https://example.com/h'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown event "render.done".*render\.completed/);
    expect(fake.requests).toHaveLength(0);
  });

  it('rejects a bad url with exit 2', async () => {
    const r = await run(dir, ['create', '--event', 'render.completed', '--url', 'not a url'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--url: invalid url/);
    expect(fake.requests).toHaveLength(0);
  });

  it('warns about plain http to a non-loopback host, not to localhost', async () => {
    const a = await run(dir, ['create', '--event', 'render.completed', '--url', 'http://example.com/h'], { env });
    expect(a.stderr).toMatch(/plain http/);
    const b = await run(dir, ['create', '--event', 'render.completed', '--url', 'http://127.0.0.1:3000/h'], { env });
    expect(b.stderr).not.toMatch(/plain http/);
  });

  it('exits 4 before any request when no API key is set', async () => {
    const r = await run(dir, ['create', '--event', 'render.completed', '--url', 'https://example.com/h'], {
      env: { PICTIFY_BASE_URL: API },
    });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/pictify-hooks login.*PICTIFY_API_KEY/);
    expect(fake.requests).toHaveLength(0);
  });
});

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

describe('get, update, delete, pause', () => {
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

  it('update --url changes the API and the stored target url', async () => {
    await run(dir, ['create', '--event', 'render.completed', '--url', 'https://a.example/h'], { env });
    const r = await run(dir, ['update', 'wh_test1', '--url', 'https://b.example/new', '--status', 'paused'], { env });
    expect(r.code).toBe(0);
    expect(fake.requests.at(-1)!.body).toEqual({ targetUrl: 'https://b.example/new', status: 'paused' });
    expect(config().profiles.default.secrets.wh_test1.targetUrl).toBe('https://b.example/new');
    const none = await run(dir, ['update', 'wh_test1'], { env });
    expect(none.code).toBe(2);
  });

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

  it('pause of an unknown uid says it is not found instead of pointing to update', async () => {
    const { http, HttpResponse } = await import('msw');
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
    const resume = await run(dir, ['resume', 'wh_test1'], { env });
    expect(resume.stderr).toMatch(/update wh_test1 --status active/);
  });
});

describe('retries seen from the command line', () => {
  it('--max-retry-wait caps a long Retry-After, and each wait is announced on stderr', async () => {
    const { http, HttpResponse } = await import('msw');
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

describe('auth and config failures', () => {
  it('a rejected key exits 4 with the login hint', async () => {
    const { http, HttpResponse } = await import('msw');
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
