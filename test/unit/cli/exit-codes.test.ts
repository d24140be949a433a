// The exit-code table (`help exit-codes`, the README), one test per row, each through a real command.
import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InterruptedError } from '../../../src/cli/errors.js';
import { EXIT_CODE_TABLE } from '../../../src/cli/exit-codes.js';
import { run, tempConfigDir } from '../../helpers/cli.js';
import { API, createFakeApi } from '../../helpers/msw-api.js';

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
afterEach(() => {
  fake.server.resetHandlers();
  cleanup();
});

describe('help exit-codes', () => {
  it('prints the one table', async () => {
    const r = await run(dir, ['help', 'exit-codes']);
    expect(r.code).toBe(0);
    expect(EXIT_CODE_TABLE.map((row) => row.code)).toEqual([0, 1, 2, 4, 130]);
    for (const row of EXIT_CODE_TABLE)
      expect(r.stdout).toMatch(new RegExp(`^ *${row.code}  ${row.meaning.slice(0, 12)}`, 'm'));
  });

  it('help environment lists every variable and where it applies', async () => {
    const r = await run(dir, ['help', 'environment']);
    expect(r.code).toBe(0);
    for (const name of ['PICTIFY_API_KEY', 'PICTIFY_BASE_URL', 'PICTIFY_PROFILE', 'PICTIFY_WEBHOOK_SECRET', 'NO_COLOR'])
      expect(r.stdout).toContain(name);
    expect(r.stdout).toMatch(/PICTIFY_WEBHOOK_SECRET .*\n\s+used by: listen, verify, send, sign, check, replay/);
    expect(r.stdout).toContain('PICTIFY_HOOKS_CONFIG_DIR');
  });
});

describe('0 success', () => {
  it('--version, --help and a command that works', async () => {
    expect((await run(dir, ['--version'])).code).toBe(0);
    expect((await run(dir, ['--help'])).code).toBe(0);
    expect((await run(dir, ['list', '--json'], { env })).code).toBe(0);
  });
});

describe('1 the operation failed', () => {
  it('an API error (404)', async () => {
    const r = await run(dir, ['get', 'wh_nope'], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/404.*— check the uid with `pictify-hooks list`/);
  });

  it('a missing local item: secrets show, events show, replay', async () => {
    const secret = await run(dir, ['secrets', 'show', 'wh_missing']);
    expect([secret.code, secret.stderr]).toEqual([1, expect.stringMatching(/no secret stored for wh_missing/)]);
    const event = await run(dir, ['events', 'show', 'evt_nope']);
    expect(event.code).toBe(1);
    const replay = await run(dir, ['replay', 'evt_nope', '--to', 'http://127.0.0.1:9/x']);
    expect(replay.code).toBe(1);
  });

  it('config get of an unset key, in text and in --json', async () => {
    const text = await run(dir, ['config', 'get', 'base-url']);
    expect([text.code, text.stdout]).toEqual([1, '']);
    expect(text.stderr).toMatch(/base-url is not set in profile "default" — set it with/);
    const json = await run(dir, ['config', 'get', 'base-url', '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({ key: 'base-url', value: null });
  });

  it('a declined confirmation says "Nothing deleted"', async () => {
    await run(dir, ['create', '--event', 'render.completed', '--url', 'https://a.example/h'], { env });
    const r = await run(dir, ['delete', 'wh_test1'], {
      env,
      stdinIsTTY: true,
      stderrIsTTY: true,
      confirm: async () => false,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('Nothing deleted.\n');
    expect(fake.subs.has('wh_test1')).toBe(true);
  });

  it('an invalid signature', async () => {
    const r = await run(dir, ['verify', '--header', 't=1,v1=00', '--payload', '{}', '--secret', 'whsec_x']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^invalid: /);
    expect(r.stderr).not.toMatch(/^error: $/m);
  });
});

describe('2 usage error', () => {
  it.each([
    [['list', '--bogus'], /unknown option --bogus — see --help/],
    [['list', '--limit', 'x'], /--limit: expected a whole number/],
    [['get'], /missing required argument 'uid'/],
    [['help', 'nosuch'], /unknown command "nosuch"/],
    [['nosuch'], /unknown command 'nosuch'/],
  ])('%j', async (args, message) => {
    const r = await run(dir, args, { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});

describe('4 authentication missing or rejected', () => {
  it('no API key', async () => {
    const r = await run(dir, ['list'], { env: { PICTIFY_BASE_URL: API } });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/no API key — run `pictify-hooks login`/);
  });

  it('the API answers 401', async () => {
    fake.server.use(
      http.get(`${API}/webhook-subscriptions`, () => HttpResponse.json({ message: 'bad key' }, { status: 401 })),
    );
    const r = await run(dir, ['list'], { env });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/401.*bad key.*pictify-hooks login/);
  });
});

describe('130 interrupted', () => {
  it('Ctrl-C at a confirmation prompt', async () => {
    const r = await run(dir, ['delete', 'wh_1'], {
      env,
      stdinIsTTY: true,
      stderrIsTTY: true,
      confirm: async () => {
        throw new InterruptedError();
      },
    });
    expect(r.code).toBe(130);
    expect(r.stderr).toBe('error: interrupted\n');
  });
});
