// `create` against the stateful msw fake of Pictify's API: the secret is stored (0600) before it is printed once, and
// bad input or a missing key stops before any request.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfig, run, useConfigDir } from '../helpers/cli.js';
import { API, FAKE_API_ENV, useFakeApi } from '../helpers/msw-api.js';

const fake = useFakeApi();
const env = FAKE_API_ENV;
const dir = useConfigDir();

const config = () => readConfig(dir);

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
    // Not "shown only once" next to a command that shows it again: the API shows it once, the saved copy stays.
    expect(r.stderr).toContain('Pictify will not show it again; this saved copy is what');
    expect(r.stderr).not.toContain('shown only once');
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

  it('a scheme-less loopback --url means http://, as for listen --forward-to', async () => {
    const r = await run(dir, ['create', '--event', 'render.completed', '--url', 'localhost:4700/x'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(fake.requests.find((q) => q.method === 'POST')!.body).toMatchObject({
      targetUrl: 'http://localhost:4700/x',
    });
    expect(config().profiles.default.secrets.wh_test1.targetUrl).toBe('http://localhost:4700/x');
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

  it('warns in one line that a batch event may not be subscribable, and still creates it', async () => {
    const r = await run(dir, ['create', '--event', 'batch.failed', '--url', 'https://example.com/h'], { env });
    expect(r.code).toBe(0);
    expect(r.stderr.split('\n').filter((line) => line.includes('may not be subscribable'))).toEqual([
      "warning: batch.failed may not be subscribable: Pictify's API reference lists only render.completed, " +
        'render.failed, binding.updated, binding.failed for subscriptions; batch results go to the webhookUrl ' +
        'given on each batch request',
    ]);
    expect(fake.requests.filter((q) => q.method === 'POST').map((q) => (q.body as { event: string }).event)).toEqual([
      'batch.failed',
    ]);
    expect(config().profiles.default.secrets.wh_test1.event).toBe('batch.failed');
  });

  it('says nothing about subscribability for an event the API reference lists', async () => {
    const r = await run(dir, ['create', '--event', 'binding.updated', '--url', 'https://example.com/h'], { env });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/subscribable/);
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
