// `inspect`, in-process: the Ready line, the token, the flag rules; and --open through the built bin. (listen's --ui
// flags are in listen.test.ts.)
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeLargeStore } from '../browser/store-fixture.js';
import { Cli, startWithReadyFile, waitFor } from '../helpers/bin.js';
import { run, runWithSignals, useConfigDir } from '../helpers/cli.js';
import { call } from '../unit/inspector/support.js';
import { waitForFile } from '../unit/receiver/deliver.js';

const SECRET = 'whsec_inspect_command_1';
const dir = useConfigDir();

describe('inspect', () => {
  it('serves the store read-only on 127.0.0.1 with a token, and stops on SIGTERM', async () => {
    const store = join(dir, 'events.jsonl');
    const records = writeLargeStore(store, 3, SECRET);
    const readyFile = join(dir, 'ready');
    const running = runWithSignals(dir, ['inspect', '--ui-port', '0', '--ready-file', readyFile]);
    const url = new URL(await waitForFile(readyFile));
    expect(url.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const token = url.searchParams.get('token')!;
    const headers = { host: url.host, 'x-inspector-token': token };
    const page = (await call(url.origin, '/api/deliveries', { headers })).json;
    expect(page.items.map((i: any) => i.deliveryId)).toEqual(records.map((r) => r.deliveryId).reverse());
    expect((await call(url.origin, '/api/info', { headers })).json).toMatchObject({ mode: 'inspect', readOnly: true });
    running.signal('SIGTERM');
    const { code, stderr } = await running.finished;
    expect(code).toBe(0);
    expect(stderr).toContain(`Ready: inspector on ${url.origin}/?token=${token} — ${store} (read-only)`);
    expect(existsSync(readyFile)).toBe(false);
  });

  it('a missing store is a failure that says what to do', async () => {
    const { code, stderr } = await run(dir, ['inspect', '--store', join(dir, 'nope.jsonl')]);
    expect(code).toBe(1);
    expect(stderr).toContain('no event store at');
    expect(stderr).toContain('pictify-hooks listen');
  });

  it('--ui-port must be a port', async () => {
    const { code, stderr } = await run(dir, ['inspect', '--ui-port', 'abc']);
    expect(code).toBe(2);
    expect(stderr).toContain('--ui-port');
  });
});

describe('--open (built bin)', () => {
  it('hands the platform opener a private file that redirects to the link, never the token itself, and only when asked', async () => {
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    const opened = join(dir, 'opened');
    const page = join(dir, 'page.html');
    // A stand-in for xdg-open on PATH: records its argv, the modes of what it was given, and a copy of it.
    writeFileSync(
      join(bin, 'xdg-open'),
      `#!/bin/sh\ncp "$1" '${page}'\necho "$@ $(stat -c %a "$1") $(stat -c %a "$(dirname "$1")")" >> '${opened}'\n`,
    );
    chmodSync(join(bin, 'xdg-open'), 0o755);
    writeLargeStore(join(dir, 'events.jsonl'), 1, SECRET);
    const cli = new Cli({ PICTIFY_HOOKS_CONFIG_DIR: dir, PATH: `${bin}:${process.env.PATH ?? ''}` });
    try {
      const quiet = await startWithReadyFile(cli, ['inspect', '--ui-port', '0'], dir);
      const loud = await startWithReadyFile(cli, ['inspect', '--ui-port', '0', '--open'], dir);
      const line = await waitFor(
        () => (existsSync(opened) ? readFileSync(opened, 'utf8').trim() : undefined),
        'xdg-open',
      );
      const token = new URL(loud.url).searchParams.get('token')!;
      expect(line).not.toContain(token);
      expect(line).toMatch(/^\/\S+\/pictify-hooks-open-\w+\/inspector\.html 600 700$/);
      const html = readFileSync(page, 'utf8');
      expect(html).toContain(`<meta http-equiv="refresh" content="0;url=${loud.url}">`);
      expect(html).not.toContain(new URL(quiet.url).searchParams.get('token')!);
      expect(readFileSync(opened, 'utf8').trim().split('\n')).toHaveLength(1);
    } finally {
      cli.killAll();
    }
  });
});
