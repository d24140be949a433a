// `secrets`: the local keeper of signing secrets — set, list (masked), show (--reveal), rm — per profile.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfig, run, useConfigDir } from '../helpers/cli.js';

const dir = useConfigDir();
const SECRET = 'whsec_abcdefghijklmnopqrstuvwxyz012345';
const config = () => readConfig(dir);

describe('secrets', () => {
  it('set, list (masked), show, show --reveal, rm', async () => {
    const set = await run(dir, [
      'secrets',
      'set',
      'wh_1',
      SECRET,
      '--url',
      'https://a.example/h',
      '--event',
      'render.completed',
    ]);
    expect(set.code).toBe(0);
    expect(set.stdout + set.stderr).not.toContain(SECRET);
    expect(config().profiles.default.secrets.wh_1).toMatchObject({ secret: SECRET, targetUrl: 'https://a.example/h' });
    expect(statSync(join(dir, 'config.json')).mode & 0o777).toBe(0o600);

    const list = await run(dir, ['secrets', 'list']);
    expect(list.stdout).toMatch(/wh_1\s+render\.completed\s+https:\/\/a\.example\/h\s+whsec_…2345/);
    expect(list.stdout).not.toContain(SECRET);

    const json = JSON.parse((await run(dir, ['secrets', 'list', '--json'])).stdout);
    expect(json).toEqual([expect.objectContaining({ uid: 'wh_1', secret: 'whsec_…2345' })]);

    const show = await run(dir, ['secrets', 'show', 'wh_1']);
    expect(show.stdout).not.toContain(SECRET);
    expect(show.stderr).toMatch(/--reveal/);
    const reveal = await run(dir, ['secrets', 'show', 'wh_1', '--reveal']);
    expect(reveal.stdout.trim()).toBe(SECRET);

    const rm = await run(dir, ['secrets', 'rm', 'wh_1']);
    expect(rm.code).toBe(0);
    expect(config().profiles.default.secrets.wh_1).toBeUndefined();
    const again = await run(dir, ['secrets', 'rm', 'wh_1']);
    expect(again.code).toBe(1);
  });

  it('warns on a missing whsec_ prefix and on surrounding whitespace, storing as given', async () => {
    const a = await run(dir, ['secrets', 'set', 'wh_2', 'abcdefghijklmnop']);
    expect(a.stderr).toMatch(/start with "whsec_"/);
    const b = await run(dir, ['secrets', 'set', 'wh_3', `${SECRET}\n`]);
    expect(b.stderr).toMatch(/surrounding whitespace/);
    expect(config().profiles.default.secrets.wh_3.secret).toBe(`${SECRET}\n`);
  });

  it('show of an unknown uid exits 1 (a missing local item) with a hint', async () => {
    const r = await run(dir, ['secrets', 'show', 'wh_nope']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/secrets set wh_nope/);
  });

  it('keeps profiles apart', async () => {
    await run(dir, ['--profile', 'staging', 'secrets', 'set', 'wh_s', SECRET]);
    expect((await run(dir, ['secrets', 'list', '--json'])).stdout.trim()).toBe('[]');
    const staging = await run(dir, ['secrets', 'list', '--json'], { env: { PICTIFY_PROFILE: 'staging' } });
    expect(JSON.parse(staging.stdout)[0].uid).toBe('wh_s');
  });
});
