// Typos get a "did you mean …?" and exit 2 (issue 12, item 4), with the built bin as a user runs it: misspelled
// flags (reported before a missing required option), config keys, and profiles that do not exist.
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useBinSandbox } from '../helpers/bin.js';

const { dir, cli } = useBinSandbox();

const URL = 'http://127.0.0.1:1/x';
const withProfiles = (...names: string[]) => {
  mkdirSync(dir, { recursive: true });
  const profiles = Object.fromEntries(names.map((n) => [n, { apiKey: `pk_test_${n}_0123456789` }]));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ profiles }), { mode: 0o600 });
};

describe('misspelled flags', () => {
  it.each([
    [['create', '--evnt', 'render.completed', '--url', URL], 'unknown option --evnt — did you mean --event?'],
    [['create', '--evnt=render.completed', '--url', URL], 'unknown option --evnt — did you mean --event?'],
    [['send', '--secrte', 'whsec_x', '--url', URL], 'unknown option --secrte — did you mean --secret?'],
    [['sign', '--secret=whsec_x', '--timestmp=1700000000'], 'unknown option --timestmp — did you mean --timestamp?'],
    // A global flag is a candidate too, before or after the command.
    [['list', '--profle', 'ci'], 'unknown option --profle — did you mean --profile?'],
    [['--profle', 'ci', 'list'], 'unknown option --profle — did you mean --profile?'],
    [['create', '--zzzzzz', '--event', 'render.completed', '--url', URL], 'unknown option --zzzzzz — see --help'],
    [['list', '-z'], 'unknown option -z — see --help'],
  ])('%j', async (args, message) => {
    const r = await cli.run(args);
    expect({ code: r.code, stderr: r.stderr, stdout: r.stdout }).toEqual({
      code: 2,
      stderr: `error: ${message}\n`,
      stdout: '',
    });
  });

  it('a missing required option is still reported when nothing is misspelled', async () => {
    const r = await cli.run(['create', '--url', URL]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("error: required option '--event <event>' not specified — see --help\n");
  });

  it('an unknown command keeps its suggestion, in the same words', async () => {
    const r = await cli.run(['config', 'st', 'base-url', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("error: unknown command 'st' — did you mean set?\n");
  });
});

describe('config keys', () => {
  it.each([
    ['set', 'bse-url', 'x'],
    ['get', 'bse-url'],
    ['unset', 'bse-url'],
  ])('config %s %s: did you mean base-url?, and the list of keys', async (...args) => {
    const r = await cli.run(['config', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'error: unknown config key "bse-url" — did you mean base-url? (use one of: api-key, base-url, max-retry-wait)\n',
    );
  });

  it('a key like none of them gets only the list', async () => {
    const r = await cli.run(['config', 'set', 'colour', 'red']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: unknown config key "colour" — use one of: api-key, base-url, max-retry-wait\n');
  });
});

describe('profiles that do not exist', () => {
  it('--profile stagin: did you mean staging?, with the known profiles, exit 2 (not "no API key", exit 4)', async () => {
    withProfiles('default', 'staging');
    const r = await cli.run(['--profile', 'stagin', 'list']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'error: profile "stagin" does not exist — did you mean staging? (known profiles: default, staging)\n',
    );
  });

  it('PICTIFY_PROFILE is named as the source; a name like none of them lists them and says how to create it', async () => {
    withProfiles('staging');
    const r = await cli.run(['secrets', 'list'], { env: { PICTIFY_PROFILE: 'production' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'error: profile "production" (from PICTIFY_PROFILE) does not exist — known profiles: staging; ' +
        '`pictify-hooks login --profile production` creates it\n',
    );
  });

  it('with no config at all: no profiles yet, and how to create one', async () => {
    const r = await cli.run(['--profile', 'stagin', 'config', 'list']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'error: profile "stagin" does not exist — no profiles yet: `pictify-hooks login --profile stagin` creates it\n',
    );
  });

  it.each([
    ['auth', 'status'],
    ['logout'],
    ['secrets', 'show', 'wh_1'],
    ['config', 'get', 'base-url'],
    ['cleanup'],
    ['send', 'render.completed', '--subscription', 'wh_1'],
    ['listen', '--port', '0', '--exit-after', '1'],
  ])('every command that reads the profile says so: %j', async (...args) => {
    withProfiles('staging');
    const r = await cli.run(['--profile', 'stagin', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: profile "stagin" does not exist — did you mean staging\?/);
  });

  // Issue 24: `list --profile prdo` with PICTIFY_API_KEY set went to the API with the env's key (the check was
  // skipped for a key from the flag or env), so the typo passed unnoticed while `secrets` caught it.
  it.each([
    ['list', { PICTIFY_API_KEY: 'pk_test_env_0123456789' }, []],
    ['list', {}, ['--api-key', 'pk_test_flag_0123456789']],
    ['trigger', { PICTIFY_API_KEY: 'pk_test_env_0123456789', PICTIFY_BASE_URL: URL }, ['render.completed']],
  ])('%s --profile prdo with the key from the env or a flag: did you mean prod?', async (cmd, env, rest) => {
    withProfiles('default', 'prod');
    const r = await cli.run(['--profile', 'prdo', cmd, ...rest], { env });
    expect({ code: r.code, stderr: r.stderr }).toEqual({
      code: 2,
      stderr: 'error: profile "prdo" does not exist — did you mean prod? (known profiles: default, prod)\n',
    });
  });

  it('a fresh CI runner (no profiles at all) with its key in the env may name the profile its file selects', async () => {
    const r = await cli.run(['list'], {
      env: { PICTIFY_PROFILE: 'production', PICTIFY_API_KEY: 'pk_test_ci_0123456789', PICTIFY_BASE_URL: URL },
    });
    // Port 1 refuses: the command got as far as the API, not stopped by a profile error.
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/profile/);
  });

  it('login, config set and secrets set create a new profile; the implicit default never "does not exist"', async () => {
    const login = await cli.run(['--profile', 'ci', 'login', '--api-key', 'pk_test_ci_0123456789', '--no-verify']);
    expect(login.code).toBe(0);
    const set = await cli.run(['--profile', 'stage', 'config', 'set', 'base-url', 'http://127.0.0.1:4010']);
    expect(set.code).toBe(0);
    const secret = await cli.run(['--profile', 'other', 'secrets', 'set', 'wh_1', 'whsec_abc']);
    expect(secret.code).toBe(0);
    const listed = await cli.run(['--profile', 'ci', 'config', 'list', '--json']);
    expect(JSON.parse(listed.stdout).profiles).toEqual(['ci', 'stage', 'other']);
    const byDefault = await cli.run(['--profile', 'default', 'secrets', 'list']);
    expect(byDefault.code).toBe(0);
  });

  it('commands that need no profile still run with an unknown one: sign/send --secret, help, config path', async () => {
    withProfiles('staging');
    const env = { PICTIFY_PROFILE: 'stagin' };
    const signed = await cli.run(['sign', 'render.completed', '--secret', 'whsec_x'], { env });
    expect(signed.code).toBe(0);
    expect(signed.stdout).toMatch(/^X-Pictify-Signature: t=\d+,v1=[0-9a-f]{64}\n/);
    // Nothing listens on port 1: send gets as far as the connection (exit 1), not a profile error.
    const sent = await cli.run(['send', 'render.completed', '--secret', 'whsec_x', '--url', URL], { env });
    expect(sent.code).toBe(1);
    expect(sent.stderr).not.toMatch(/profile/);
    expect((await cli.run(['help', 'list'], { env })).code).toBe(0);
    expect((await cli.run(['config', 'path'], { env })).stdout).toBe(`${join(dir, 'config.json')}\n`);
  });
});
