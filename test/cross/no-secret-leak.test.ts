// Secrets appear in output only where the user asked: `create` (the one time the API returns it) and
// `secrets show --reveal`. Every other command runs here with the secret in play and must not print it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig, run, type RunResult, useConfigDir } from '../helpers/cli.js';
import { FAKE_API_ENV, useFakeApi } from '../helpers/msw-api.js';
import { startReferenceReceiver, type ReferenceReceiver } from '../helpers/reference-receiver.js';

// Loopback traffic to our own receivers must pass msw untouched.
useFakeApi({ passLoopback: true });
const env = FAKE_API_ENV;
const dir = useConfigDir();
let app: ReferenceReceiver;
let appUrl: string;
beforeAll(async () => {
  app = await startReferenceReceiver({ path: '/hook', answer: 200 });
  appUrl = app.url;
});
afterAll(() => app.close());

describe('no full secret in output unless asked', () => {
  it('holds for every command', async () => {
    const created = await run(dir, ['create', '--event', 'render.completed', '--url', appUrl], { env });
    expect(created.code, created.stderr).toBe(0);
    const secret: string = readConfig(dir).profiles.default.secrets.wh_test1.secret;
    expect(created.stdout).toContain(secret);

    const reveal = await run(dir, ['secrets', 'show', 'wh_test1', '--reveal']);
    expect(reveal.stdout).toContain(secret);

    const results: Array<[string, RunResult]> = [];
    const check = async (args: string[], options: Parameters<typeof run>[2] = {}) => {
      const r = await run(dir, args, { env, ...options });
      results.push([args.join(' '), r]);
      return r;
    };

    await check(['list']);
    await check(['list', '--json']);
    await check(['get', 'wh_test1', '--json']);
    await check(['update', 'wh_test1', '--url', appUrl, '--json']);
    await check(['pause', 'wh_test1']);
    await check(['secrets', 'list']);
    await check(['secrets', 'list', '--json']);
    await check(['secrets', 'show', 'wh_test1']);
    await check(['secrets', 'show', 'wh_test1', '--json']);
    await check(['config', 'list', '--json']);
    await check(['sign', 'render.completed', '--subscription', 'wh_test1', '--json']);
    await check(['sign', 'render.completed', '--subscription', 'wh_test1', '--curl', appUrl]);
    const signed = JSON.parse(results.at(-2)![1].stdout) as { header: string; payload: string };
    await check([
      'verify',
      '--header',
      signed.header,
      '--payload',
      signed.payload,
      '--now',
      String(signed.header.match(/t=(\d+)/)![1]),
    ]);
    await check([
      'verify',
      '--header',
      signed.header,
      '--payload',
      `${signed.payload} `,
      '--now',
      String(signed.header.match(/t=(\d+)/)![1]),
      '--json',
    ]);
    await check(['send', 'render.completed', '--subscription', 'wh_test1']);
    await check(['send', '--all', '--subscription', 'wh_test1', '--json']);
    await check(['check', appUrl, '--subscription', 'wh_test1']);

    // listen (profile secrets), one delivery, then events and replay over what it stored.
    const readyFile = join(dir, 'ready');
    const listening = run(
      dir,
      ['listen', '--port', '0', '--exit-after', '1', '--timeout', '20s', '--ready-file', readyFile],
      { env, now: () => Date.now() },
    );
    for (let i = 0; i < 400 && !existsSync(readyFile); i++) await new Promise((r) => setTimeout(r, 25));
    const listenUrl = readFileSync(readyFile, 'utf8').trim();
    const sent = await run(dir, ['send', 'render.completed', '--url', listenUrl, '--secret', secret], {
      env,
      now: () => Date.now(),
    });
    expect(sent.code, sent.stderr).toBe(0);
    const listened = await listening;
    results.push(['listen', listened]);
    expect(listened.code, listened.stderr).toBe(0);
    const events = await check(['events', 'list', '--json']);
    const id = JSON.parse(events.stdout)[0].id;
    await check(['events', 'show', id]);
    await check(['replay', id, '--to', appUrl]);

    // The commands really ran with the secret (a leak check over failures would prove little).
    const exitCodes = Object.fromEntries(results.map(([name, r]) => [name, r.code]));
    expect(exitCodes['send render.completed --subscription wh_test1']).toBe(0);
    expect(
      exitCodes[
        'verify --header ' +
          signed.header +
          ' --payload ' +
          signed.payload +
          ' --now ' +
          signed.header.match(/t=(\d+)/)![1]
      ],
    ).toBe(0);
    expect(exitCodes[`replay ${id} --to ${appUrl}`]).toBe(0);
    for (const [name, r] of results) {
      expect(r.stdout, `stdout of ${name}`).not.toContain(secret);
      expect(r.stderr, `stderr of ${name}`).not.toContain(secret);
    }
    expect(results.length).toBeGreaterThan(20);
  });
});
