// plan, apply and import in-process against the built-in emulator: exit codes, confirmation, --json, profiles,
// a bad file, --secret-env, and import's file and report.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfig, run, useConfigDir } from '../helpers/cli.js';
import { useEmulator } from '../helpers/emulator.js';

const emu = useEmulator();
const dir = useConfigDir();
const env = () => ({ PICTIFY_BASE_URL: emu.url, PICTIFY_API_KEY: 'pk_test_plan', NO_COLOR: '1' });
const file = () => join(dir, 'pictify-hooks.yaml');
const cmd = (args: string[], options: Parameters<typeof run>[2] = {}) =>
  run(dir, args, { ...options, env: { ...env(), ...options.env } });

const TWO = `subscriptions:
  - name: cards
    event: render.completed
    url: \${env:APP_URL}/webhooks/pictify
    filters: { templateId: tmpl_1 }
    profiles:
      staging:
        url: https://staging.example.com/webhooks/pictify
  - name: failures
    event: render.failed
    url: https://example.com/webhooks/pictify
    status: paused
`;
const APP = { APP_URL: 'https://example.com' };

describe('plan', () => {
  it('exits 2 with changes pending and 0 after apply; --json says the same', async () => {
    writeFileSync(file(), TWO);
    const before = await cmd(['plan', '-f', file(), '--json'], { env: APP });
    expect(before.code).toBe(2);
    const view = JSON.parse(before.stdout);
    expect(view).toMatchObject({ profile: 'default', wanted: 2, live: 0, changesPending: true });
    expect(view.summary).toMatchObject({ create: 2, update: 0, replace: 0, delete: 0 });
    expect(view.changes.map((c: { name: string; url: string }) => [c.name, c.url])).toEqual([
      ['cards', 'https://example.com/webhooks/pictify'],
      ['failures', 'https://example.com/webhooks/pictify'],
    ]);
    expect((await cmd(['apply', '-f', file(), '--yes'], { env: APP })).code).toBe(0);
    const after = await cmd(['plan', '-f', file(), '--json'], { env: APP });
    expect(after.code).toBe(0);
    expect(JSON.parse(after.stdout)).toMatchObject({
      changesPending: false,
      changes: [],
      unchanged: ['cards', 'failures'],
    });
  });

  it('a paused subscription in the file is created and then paused', async () => {
    writeFileSync(file(), TWO);
    expect((await cmd(['apply', '-f', file(), '--yes'], { env: APP })).code).toBe(0);
    const list = JSON.parse((await cmd(['list', '--json'])).stdout) as Array<{ event: string; status: string }>;
    expect(list.find((s) => s.event === 'render.failed')!.status).toBe('paused');
    expect(list.find((s) => s.event === 'render.completed')!.status).toBe('active');
  });

  it("uses the profile's override (--profile) and its own record of names", async () => {
    writeFileSync(file(), TWO);
    const staging = await cmd(['--profile', 'staging', 'apply', '-f', file(), '--yes']);
    expect(staging.code, staging.stderr).toBe(0);
    const list = JSON.parse((await cmd(['list', '--json'])).stdout) as Array<{ targetUrl: string }>;
    expect(list.map((s) => s.targetUrl)).toContain('https://staging.example.com/webhooks/pictify');
    const config = readConfig(dir);
    expect(Object.keys(config.profiles.staging.managed).sort()).toEqual(['cards', 'failures']);
    expect(config.profiles.default).toBeUndefined();
  });

  it('a bad file: exit 1 (not 2, which means changes) and one line with its place', async () => {
    writeFileSync(file(), 'subscriptions:\n  - name: a\n    event: render.complete\n    url: https://x.example\n');
    const r = await cmd(['plan', '-f', file()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file()}:3:12: a: unknown event "render.complete"`);
    const unset = await cmd(['plan', '-f', (writeFileSync(file(), TWO), file())]);
    expect(unset.code).toBe(1);
    expect(unset.stderr).toContain('cards: url: ${env:APP_URL} is not set');
    const missing = await cmd(['plan', '-f', join(dir, 'nope.yaml')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      `error: ${join(dir, 'nope.yaml')}: no such file — pass -f <file>, or write this one from the live ` +
        `subscriptions with \`pictify-hooks import -o ${join(dir, 'nope.yaml')}\`\n`,
    );
  });

  it('shows control characters from the API escaped, never raw', async () => {
    const res = await fetch(`${emu.url}/webhook-subscriptions`, {
      method: 'POST',
      headers: { authorization: 'Bearer pk_test_plan', 'content-type': 'application/json' },
      body: JSON.stringify({ event: 'render.failed', targetUrl: 'https://x.example/\u001b[2J\u202eboom' }),
    });
    expect(res.status).toBe(201);
    writeFileSync(file(), 'subscriptions: []\n');
    const r = await cmd(['plan', '-f', file()]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('? unmanaged');
    expect(r.stdout).not.toMatch(/[\u001b\u202e]/);
    expect(r.stdout).toContain('\\x1b[2J');
  });

  it('reads pictify-hooks.yaml by default', async () => {
    const r = await cmd(['plan'], { patch: () => {} });
    // The tests run in the repository, which has no pictify-hooks.yaml: the default name is in the message.
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'pictify-hooks.yaml: no such file — pass -f <file>, or write this one from the live subscriptions with ' +
        '`pictify-hooks import`\n',
    );
  });
});

describe('apply', () => {
  it('refuses without a terminal unless --yes (exit 2), and changes nothing', async () => {
    writeFileSync(file(), TWO);
    const r = await cmd(['apply', '-f', file()], { env: APP });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/refusing to apply 2 changes without confirmation/);
    expect(r.stderr).toMatch(/--yes/);
    expect(JSON.parse((await cmd(['list', '--json'])).stdout)).toEqual([]);
  });

  it('asks on a terminal: no → exit 1 and nothing applied; yes → applied', async () => {
    writeFileSync(file(), TWO);
    const tty = { stdinIsTTY: true, stderrIsTTY: true, env: APP };
    const questions: string[] = [];
    const no = await cmd(['apply', '-f', file()], { ...tty, confirm: async (q) => (questions.push(q), false) });
    expect(no.code).toBe(1);
    expect(no.stderr).toContain('Nothing applied.');
    expect(questions).toEqual(['Apply 2 changes to Pictify (profile "default")?']);
    expect(JSON.parse((await cmd(['list', '--json'])).stdout)).toEqual([]);
    const yes = await cmd(['apply', '-f', file()], { ...tty, confirm: async () => true });
    expect(yes.code, yes.stderr).toBe(0);
    expect(yes.stdout).toMatch(/Applied 2 changes\./);
  });

  it('with nothing to change it does not ask, and says so', async () => {
    writeFileSync(file(), TWO);
    await cmd(['apply', '-f', file(), '--yes'], { env: APP });
    const r = await cmd(['apply', '-f', file()], { env: APP });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/No changes/);
  });

  it('--json: the plan and what was applied, with uids and where the secrets are, never a secret', async () => {
    writeFileSync(file(), TWO);
    const r = await cmd(['apply', '-f', file(), '--yes', '--json'], { env: APP });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    const config = readConfig(dir).profiles.default;
    expect(out.applied).toEqual([
      { action: 'create', name: 'cards', uid: config.managed.cards.uid, newSecret: true },
      { action: 'create', name: 'failures', uid: config.managed.failures.uid, newSecret: true },
    ]);
    expect(out.secretsStoredIn).toBe(join(dir, 'config.json'));
    for (const s of Object.values(config.secrets) as Array<{ secret: string }>)
      expect(r.stdout).not.toContain(s.secret);
  });

  it('--secret-env replaces only its own lines, 0600', async () => {
    writeFileSync(file(), TWO);
    const envFile = join(dir, '.env.local');
    writeFileSync(envFile, '# app\nDATABASE_URL=postgres://x\nPICTIFY_WEBHOOK_SECRET_CARDS=stale\nOTHER=1', {
      mode: 0o644,
    });
    const r = await cmd(['apply', '-f', file(), '--yes', '--secret-env', envFile], { env: APP });
    expect(r.code).toBe(0);
    const config = readConfig(dir).profiles.default;
    const secretOf = (name: string) => config.secrets[config.managed[name].uid].secret;
    expect(readFileSync(envFile, 'utf8')).toBe(
      `# app\nDATABASE_URL=postgres://x\nPICTIFY_WEBHOOK_SECRET_CARDS=${secretOf('cards')}\nOTHER=1\nPICTIFY_WEBHOOK_SECRET_FAILURES=${secretOf('failures')}\n`,
    );
    expect(statSync(envFile).mode & 0o777).toBe(0o600);
    expect(r.stdout).toContain(`Wrote PICTIFY_WEBHOOK_SECRET_CARDS, PICTIFY_WEBHOOK_SECRET_FAILURES to ${envFile}.`);
  });

  it('a secret the profile cannot store is printed once, loudly, and the apply stops (exit 1)', async () => {
    writeFileSync(file(), TWO);
    let writes = 0;
    const r = await cmd(['apply', '-f', file(), '--yes'], {
      env: APP,
      patch: (ctx) => {
        const open = ctx.config.bind(ctx);
        const wrapped = new WeakSet<object>();
        ctx.config = async () => {
          const store = await open();
          if (wrapped.has(store)) return store;
          wrapped.add(store);
          const real = store.updateSync.bind(store);
          // The first write records the pending create; the second, with the secret, fails.
          store.updateSync = ((change: Parameters<typeof real>[0]) => {
            if (++writes === 2) throw new Error('disk full');
            return real(change);
          }) as typeof store.updateSync;
          return store;
        };
      },
    });
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const [line] = r.stdout.split('\n').filter((l) => l.startsWith('cards '));
    expect(line).toMatch(/^cards wh_\w+ secret whsec_\w+$/);
    expect(r.stderr).toMatch(/WARNING: the secret above could NOT be saved \(disk full\)/);
    expect(r.stderr).toMatch(/apply stopped at create cards \(0 of 2 changes done\)/);
    // The create was recorded as pending: the next apply gets the same subscription back and stores that secret.
    const again = await cmd(['apply', '-f', file(), '--yes'], { env: APP });
    expect(again.code, again.stderr).toBe(0);
    const [, uid, secret] = /^cards (\S+) secret (\S+)$/.exec(line!)!;
    const config = readConfig(dir).profiles.default;
    expect(config.managed.cards.uid).toBe(uid);
    expect(config.secrets[uid!].secret).toBe(secret);
    expect(JSON.parse((await cmd(['list', '--json'])).stdout)).toHaveLength(2);
  });

  it('adopts a live subscription that matches on the first run, says so, and keeps its stored secret', async () => {
    const made = await cmd([
      'create',
      '--event',
      'render.failed',
      '--url',
      'https://example.com/webhooks/pictify',
      '--json',
    ]);
    const { uid, secret } = JSON.parse(made.stdout);
    writeFileSync(file(), TWO.replace('    status: paused\n', ''));
    const p = await cmd(['plan', '-f', file()], { env: APP });
    expect(p.code).toBe(2); // cards is still to create
    expect(p.stdout).toContain(`= adopt    failures ${uid}  it matches the event, url and filters; secret held`);
    expect((await cmd(['apply', '-f', file(), '--yes'], { env: APP })).code).toBe(0);
    const config = readConfig(dir).profiles.default;
    expect(config.managed.failures.uid).toBe(uid);
    expect(config.secrets[uid].secret).toBe(secret);
    expect(JSON.parse((await cmd(['list', '--json'])).stdout)).toHaveLength(2);
  });
});

describe('import', () => {
  it('-o - prints the file to stdout and the report to stderr; it loads back with no changes', async () => {
    await cmd([
      'create',
      '--event',
      'render.completed',
      '--url',
      'https://a.example.com/hooks/cards',
      '--template-id',
      't1',
      '--type',
      'pdf',
    ]);
    await cmd([
      'create',
      '--event',
      'binding.failed',
      '--url',
      'https://a.example.com/webhooks',
      '--platform',
      'zapier',
    ]);
    const r = await cmd(['import', '-o', '-']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^# Subscriptions as code/);
    expect(r.stdout).toContain('name: render-completed-cards');
    expect(r.stdout).toContain('filters: { templateId: t1, type: pdf }');
    expect(r.stdout).toContain('platform: zapier');
    expect(r.stderr).toMatch(/Printed the file with 2 subscriptions/);
    expect(r.stderr).not.toMatch(/No secret held/);
    writeFileSync(file(), r.stdout);
    const p = await cmd(['plan', '-f', file()]);
    expect(p.code, p.stdout).toBe(0);
  });

  it('does not overwrite a file without --force', async () => {
    writeFileSync(file(), 'mine\n');
    const r = await cmd(['import', '-o', file()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('exists; nothing was written');
    expect(readFileSync(file(), 'utf8')).toBe('mine\n');
    expect((await cmd(['import', '-o', file(), '--force'])).code).toBe(0);
    expect(readFileSync(file(), 'utf8')).toMatch(/subscriptions: \[\]/);
  });
});
