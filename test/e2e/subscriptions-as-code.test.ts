// Subscriptions as code through the built bin against the built-in emulator, each command its own process:
// create ×3 → no changes → url edit = 1 update → event edit = 1 replace with a new secret → a dashboard change =
// drift → --prune deletes an unmanaged one → import round-trips. Then two applies at once do not double-create.
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { useBinSandbox } from '../helpers/bin.js';
import { useEmulator } from '../helpers/emulator.js';
import { THREE_SUBSCRIPTIONS } from '../helpers/subscriptions-file.js';

const KEY = 'pk_test_e2e_iac';
const { dir, cli } = useBinSandbox({ PICTIFY_API_KEY: KEY });

const THREE = THREE_SUBSCRIPTIONS;

const shown: string[] = [];
afterAll(() => {
  if (process.env.PICTIFY_SHOW_PLANS) console.log(shown.join('\n'));
});

// The emulator runs in this process (a bin child would be bounded to 60 s, and this sequence can take longer on a
// loaded machine); every pictify-hooks command is the built bin.
const running = useEmulator();

async function emulator() {
  const emu = { url: running.url };
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${emu.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await res.json()) as any;
  };
  const live = async () => (await call('GET', '/webhook-subscriptions?limit=100')).subscriptions as any[];
  return { url: emu.url, call, live };
}

const config = () => JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).profiles.default;

describe('plan · apply · import through the built bin', () => {
  it('goes create ×3 → no changes → update → replace → drift → prune → import', { timeout: 240_000 }, async () => {
    const emu = await emulator();
    const base = ['--base-url', emu.url];
    const file = join(dir, 'pictify-hooks.yaml');
    const envFile = join(dir, 'app.env');
    writeFileSync(envFile, 'KEEP_ME=1\nPICTIFY_WEBHOOK_SECRET_FAILURES=old\n');
    const plan = async (step: string, ...extra: string[]) => {
      const r = await cli.run([...base, 'plan', '-f', file, ...extra]);
      shown.push(`$ pictify-hooks plan ${extra.join(' ')}   # ${step} → exit ${r.code}\n${r.stdout}${r.stderr}`);
      return r;
    };
    const apply = (...extra: string[]) => cli.run([...base, 'apply', '-f', file, '--yes', ...extra]);

    writeFileSync(file, THREE);
    const first = await plan('three new');
    expect(first.code, first.stderr).toBe(2);
    expect(first.stdout.match(/\+ create/g)).toHaveLength(3);
    expect(first.stdout).toMatch(/Plan: 3 to create, 0 to update, 0 to replace, 0 to delete\./);

    const created = await apply('--secret-env', envFile);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/Applied 3 changes\./);
    expect(await emu.live()).toHaveLength(3);
    const profile = config();
    for (const name of ['blog-cards', 'failures', 'bindings']) {
      const uid = profile.managed[name].uid;
      expect(profile.secrets[uid].secret).toMatch(/^whsec_/);
    }
    expect(statSync(join(dir, 'config.json')).mode & 0o777).toBe(0o600);
    // The env file: our three lines written, the rest kept, 0600; no secret on stdout or stderr.
    const envText = readFileSync(envFile, 'utf8');
    expect(envText).toContain('KEEP_ME=1\n');
    expect(envText).toContain(
      `PICTIFY_WEBHOOK_SECRET_FAILURES=${profile.secrets[profile.managed.failures.uid].secret}\n`,
    );
    expect(envText).toContain('PICTIFY_WEBHOOK_SECRET_BLOG_CARDS=whsec_');
    expect(envText).not.toContain('=old');
    expect(statSync(envFile).mode & 0o777).toBe(0o600);
    for (const uid of Object.keys(profile.secrets))
      expect(created.stdout + created.stderr).not.toContain(profile.secrets[uid].secret);

    const none = await plan('right after apply');
    expect(none.code, none.stderr).toBe(0);
    expect(none.stdout).toMatch(/No changes/);
    const again = await apply();
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/No changes/);
    expect(await emu.live()).toHaveLength(3);

    writeFileSync(file, THREE.replace('webhooks/bindings', 'webhooks/bindings-v2'));
    const update = await plan('url edit');
    expect(update.code).toBe(2);
    expect(update.stdout).toMatch(
      /~ update +bindings +wh_\w+ +url: https:\/\/example.com\/webhooks\/bindings → https:\/\/example.com\/webhooks\/bindings-v2/,
    );
    expect(update.stdout).toMatch(/Plan: 0 to create, 1 to update, 0 to replace, 0 to delete\./);
    expect((await apply()).code).toBe(0);
    const bindingsUid = config().managed.bindings.uid;
    expect((await emu.live()).find((s) => s.uid === bindingsUid).targetUrl).toBe(
      'https://example.com/webhooks/bindings-v2',
    );

    const edited = THREE.replace('webhooks/bindings', 'webhooks/bindings-v2').replace(
      'event: render.failed',
      'event: binding.failed',
    );
    writeFileSync(file, edited);
    const oldFailures = config().managed.failures.uid;
    const replace = await plan('event edit');
    expect(replace.code).toBe(2);
    expect(replace.stdout).toMatch(/± replace +failures/);
    expect(replace.stdout).toMatch(/new subscription, new secret — receivers must switch/);
    expect(replace.stdout).toMatch(/Plan: 0 to create, 0 to update, 1 to replace, 0 to delete\./);
    const replaced = await apply('--json');
    expect(replaced.code, replaced.stderr).toBe(0);
    const result = JSON.parse(replaced.stdout);
    expect(result.changes[0]).toMatchObject({ action: 'replace', name: 'failures', newSecret: true });
    const newFailures = config().managed.failures.uid;
    expect(newFailures).not.toBe(oldFailures);
    expect(config().secrets[newFailures].secret).toMatch(/^whsec_/);
    expect(config().secrets[oldFailures]).toBeUndefined();
    const afterReplace = await emu.live();
    expect(afterReplace.map((s) => s.uid)).not.toContain(oldFailures);
    expect(afterReplace.find((s) => s.uid === newFailures).event).toBe('binding.failed');

    // Someone edits a url in the dashboard (here: the API directly).
    await emu.call('PUT', `/webhook-subscriptions/${bindingsUid}`, { targetUrl: 'https://dashboard.example.com/x' });
    const drift = await plan('dashboard change');
    expect(drift.code).toBe(2);
    expect(drift.stdout).toMatch(
      /! drift: url changed outside pictify-hooks .*https:\/\/dashboard.example.com\/x, was https:\/\/example.com\/webhooks\/bindings-v2/,
    );
    expect(drift.stdout).toMatch(/1 to update, 0 to replace, 0 to delete, 1 drifted\./);
    expect((await apply()).code).toBe(0);
    expect((await plan('drift set back')).code).toBe(0);

    // One made by hand: listed as unmanaged (no change), deleted with --prune.
    const extra = await cli.run([
      ...base,
      'create',
      '--event',
      'render.completed',
      '--url',
      'https://other.example.com/h',
      '--json',
    ]);
    expect(extra.code).toBe(0);
    const extraUid = JSON.parse(extra.stdout).uid;
    const unmanaged = await plan('one made by hand');
    expect(unmanaged.code).toBe(0);
    expect(unmanaged.stdout).toContain(`? unmanaged ${extraUid}`);
    const prune = await plan('with --prune', '--prune');
    expect(prune.code).toBe(2);
    expect(prune.stdout).toMatch(new RegExp(`- delete +${extraUid}`));
    expect((await apply('--prune')).code).toBe(0);
    expect((await emu.live()).map((s) => s.uid)).not.toContain(extraUid);
    expect(config().secrets[extraUid]).toBeUndefined();
    expect(await emu.live()).toHaveLength(3);

    // import round-trips, in this profile and on a machine that never saw it (another config folder).
    const imported = join(dir, 'imported.yaml');
    const imp = await cli.run([...base, 'import', '-o', imported]);
    expect(imp.code, imp.stderr).toBe(0);
    expect(imp.stderr).toMatch(/Wrote .*imported.yaml with 3 subscriptions/);
    const names = [...readFileSync(imported, 'utf8').matchAll(/name: (\S+)/g)].map((m) => m[1]).sort();
    expect(names).toEqual(['bindings', 'blog-cards', 'failures']);
    const round = await cli.run([...base, 'plan', '-f', imported]);
    shown.push(
      `$ pictify-hooks import -o imported.yaml && pictify-hooks plan -f imported.yaml → exit ${round.code}\n${imp.stderr}${round.stdout}`,
    );
    expect(round.code, round.stdout).toBe(0);

    const elsewhere = join(dir, 'elsewhere');
    mkdirSync(elsewhere, { mode: 0o700 });
    const env = { PICTIFY_HOOKS_CONFIG_DIR: elsewhere };
    const imp2 = await cli.run([...base, 'import', '-o', join(elsewhere, 'fresh.yaml')], { env });
    expect(imp2.code).toBe(0);
    expect(imp2.stderr).toMatch(/No secret held for 3 subscriptions/);
    expect(imp2.stderr).toMatch(/pictify-hooks secrets set <uid> <secret>/);
    shown.push(`$ pictify-hooks import (a fresh profile)\n${imp2.stderr}`);
    const plan2 = await cli.run([...base, 'plan', '-f', join(elsewhere, 'fresh.yaml')], { env });
    expect(plan2.code, plan2.stdout).toBe(0);
    expect(plan2.stdout).toMatch(/No changes/);
  });

  it('two applies at once create each subscription once', { timeout: 60_000 }, async () => {
    const emu = await emulator();
    const file = join(dir, 'pictify-hooks.yaml');
    writeFileSync(file, THREE);
    const args = ['--base-url', emu.url, 'apply', '-f', file, '--yes'];
    const [a, b] = await Promise.all([cli.run(args), cli.run(args)]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const live = await emu.live();
    expect(live).toHaveLength(3);
    // One did the work, the other waited and found nothing left to do.
    const outputs = [a.stdout, b.stdout];
    expect(outputs.filter((o) => /Applied 3 changes/.test(o))).toHaveLength(1);
    expect(outputs.filter((o) => /No changes/.test(o))).toHaveLength(1);
    const profile = config();
    expect(Object.keys(profile.secrets).sort()).toEqual(live.map((s) => s.uid).sort());
  });
});
