import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run, tempConfigDir } from '../helpers/cli.js';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempConfigDir()));
afterEach(() => cleanup());

const SECRET = 'whsec_abcdefghijklmnopqrstuvwxyz012345';
const config = () => JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));

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

describe('config', () => {
  it('set/get/unset/list/path, key masked in list', async () => {
    expect((await run(dir, ['config', 'set', 'api-key', 'pk_live_0123456789abcd'])).code).toBe(0);
    expect((await run(dir, ['config', 'set', 'base-url', 'http://127.0.0.1:4010/'])).code).toBe(0);
    expect((await run(dir, ['config', 'get', 'base-url'])).stdout.trim()).toBe('http://127.0.0.1:4010');
    const list = await run(dir, ['config', 'list']);
    expect(list.stdout).toContain('pk_live_…abcd');
    expect(list.stdout).not.toContain('pk_live_0123456789abcd');
    expect(JSON.parse((await run(dir, ['config', 'list', '--json'])).stdout).values['api-key']).toBe('pk_live_…abcd');
    expect((await run(dir, ['config', 'path'])).stdout.trim()).toBe(join(dir, 'config.json'));
    await run(dir, ['config', 'unset', 'base-url']);
    const missing = await run(dir, ['config', 'get', 'base-url']);
    expect(missing.code).toBe(1);
  });

  it('set and unset answer in JSON with --json, the key masked', async () => {
    const set = await run(dir, ['config', 'set', 'api-key', 'pk_live_0123456789abcd', '--json']);
    expect(JSON.parse(set.stdout)).toEqual({
      profile: 'default',
      key: 'api-key',
      value: 'pk_live_…abcd',
      path: join(dir, 'config.json'),
    });
    const unset = await run(dir, ['config', 'unset', 'api-key', '--json']);
    expect(JSON.parse(unset.stdout)).toMatchObject({ key: 'api-key', value: null });
  });

  it('rejects unknown keys and bad values with exit 2', async () => {
    expect((await run(dir, ['config', 'set', 'colour', 'red'])).code).toBe(2);
    const bad = await run(dir, ['config', 'set', 'base-url', 'ftp://x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/only http and https/);
  });
});

describe('usage errors and help', () => {
  it('unknown flags exit 2 with a pointer to --help', async () => {
    const r = await run(dir, ['list', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown option --bogus/);
    expect(r.stderr).toMatch(/--help/);
  });

  it('every command has a description and an example in --help', async () => {
    const { buildProgram } = await import('../../src/cli/main.js');
    const { createContext } = await import('../../src/cli/node-context.js');
    const program = await buildProgram(
      createContext({ io: { stdout: { write: () => true }, stderr: { write: () => true } }, env: {} }),
    );
    const leaves: string[][] = [];
    const walk = (cmd: typeof program, path: string[]) => {
      for (const sub of cmd.commands) {
        if (sub.name() === 'help') continue;
        if (sub.commands.length) walk(sub, [...path, sub.name()]);
        else leaves.push([...path, sub.name()]);
      }
    };
    walk(program, []);
    expect(leaves.length).toBeGreaterThan(10);
    for (const path of leaves) {
      const r = await run(dir, [...path, '--help']);
      expect(r.code, path.join(' ')).toBe(0);
      expect(r.stdout, path.join(' ')).toMatch(/Examples:\n {2}\$ .*pictify-hooks /);
    }
  });

  it('completion prints scripts naming commands, flags and events', async () => {
    const bash = await run(dir, ['completion', 'bash']);
    expect(bash.code).toBe(0);
    expect(bash.stdout).toContain('complete -F _pictify_hooks pictify-hooks');
    expect(bash.stdout).toContain('binding.failed');
    expect(bash.stdout).toContain('--template-id');
    const fish = await run(dir, ['completion', 'fish']);
    expect(fish.stdout).toContain('-a create');
    expect((await run(dir, ['completion', 'tcsh'])).code).toBe(2);
  });
});
