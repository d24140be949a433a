// `emulator` in-process: flag validation, the ready line, serving the API, and a clean stop on a signal.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { SignalName } from '../../src/cli/context.js';
import { createContext } from '../../src/cli/node-context.js';
import { STATE_FILE } from '../../src/emulator/index.js';
import { run, useConfigDir } from '../helpers/cli.js';
import { startReferenceReceiver } from '../helpers/reference-receiver.js';

const dir = useConfigDir();

/** Runs `emulator …` in-process with signals we can send, and stderr we can watch. */
function startCli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const handlers = new Map<SignalName, Set<() => void>>();
  const ctx = createContext({
    io: {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
      stdin: null,
    },
    env: { PICTIFY_HOOKS_CONFIG_DIR: dir, NO_COLOR: '1' },
    onSignal: (signal, handler) => {
      if (!handlers.has(signal)) handlers.set(signal, new Set());
      handlers.get(signal)!.add(handler);
      return () => handlers.get(signal)!.delete(handler);
    },
  });
  const exit = main(['node', 'pictify-hooks', ...args], ctx);
  return {
    exit,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    signal: (name: SignalName) => handlers.get(name)?.forEach((h) => h()),
    async ready(): Promise<string> {
      for (let i = 0; i < 500; i++) {
        const m = /listening on (http:\/\/\S+) — export PICTIFY_BASE_URL=(\S+)/.exec(stderr);
        if (m) {
          expect(m[2]).toBe(m[1]);
          return m[1];
        }
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`no ready line; stderr: ${stderr}`);
    },
  };
}

describe('emulator', () => {
  it('prints the ready line, serves the API, logs requests and stops on SIGTERM with exit 0', async () => {
    const cli = startCli(['emulator', '--port', '0', '--json']);
    const url = await cli.ready();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(JSON.parse(cli.stdout)).toEqual({ event: 'ready', url, port: Number(new URL(url).port) });
    const res = await fetch(`${url}/webhook-subscriptions`, { headers: { authorization: 'Bearer k' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ subscriptions: [], pagination: { total: 0 } });
    cli.signal('SIGTERM');
    expect(await cli.exit).toBe(0);
    expect(cli.stderr).toMatch(/Emulator: GET \/webhook-subscriptions 200 \d+ms/);
    expect(cli.stderr).toContain('Emulator: stopped');
    await expect(fetch(`${url}/webhook-subscriptions`)).rejects.toThrow();
  });

  it('--host 0.0.0.0 says plainly that the API is now reachable from the network; loopback does not', async () => {
    const open = startCli(['emulator', '--port', '0', '--host', '0.0.0.0']);
    await open.ready();
    await new Promise((r) => setTimeout(r, 20));
    expect(open.stderr).toMatch(
      /warning: the API is now reachable from the network: anyone, with any API key, who can reach this machine's port \d+/,
    );
    open.signal('SIGTERM');
    expect(await open.exit).toBe(0);
    const local = startCli(['emulator', '--port', '0']);
    await local.ready();
    local.signal('SIGTERM');
    expect(await local.exit).toBe(0);
    expect(local.stderr).not.toContain('reachable from the network');
  });

  it('SIGINT exits 130; the global --api-key pins the key', async () => {
    const cli = startCli(['emulator', '--port', '0', '--api-key', 'pk_only_this']);
    const url = await cli.ready();
    expect(cli.stderr).toContain('api key: pinned');
    expect(cli.stderr).not.toContain('pk_only_this');
    expect((await fetch(`${url}/webhook-subscriptions`, { headers: { authorization: 'Bearer other' } })).status).toBe(
      401,
    );
    expect(
      (await fetch(`${url}/webhook-subscriptions`, { headers: { authorization: 'Bearer pk_only_this' } })).status,
    ).toBe(200);
    cli.signal('SIGINT');
    expect(await cli.exit).toBe(130);
  });

  it('delivers only to loopback; --allow-remote lifts that (::ffff:127.0.0.1 stands in for a remote host)', async () => {
    const rx = await startReferenceReceiver({ answer: { status: 200, body: 'ok' } });
    const target = `http://[::ffff:127.0.0.1]:${rx.port}/hooks`;
    const auth = { authorization: 'Bearer k', 'content-type': 'application/json' };
    try {
      for (const [flags, expected] of [
        [[], 'failed'],
        [['--allow-remote'], 'delivered'],
      ] as const) {
        const cli = startCli(['emulator', '--port', '0', ...flags]);
        const url = await cli.ready();
        expect(cli.stderr.includes('delivers to non-loopback targets too')).toBe(flags.length > 0);
        const body = JSON.stringify({ event: 'render.completed', targetUrl: target });
        await fetch(`${url}/webhook-subscriptions`, { method: 'POST', headers: auth, body });
        const trigger = await fetch(`${url}/_emulator/events`, {
          method: 'POST',
          headers: auth,
          body: JSON.stringify({ event: 'render.completed' }),
        });
        const { deliveries } = (await trigger.json()) as { deliveries: Array<{ status: string; error?: string }> };
        expect(deliveries[0]!.status).toBe(expected);
        if (expected === 'failed') expect(deliveries[0]!.error).toContain('--allow-remote');
        cli.signal('SIGTERM');
        expect(await cli.exit).toBe(0);
      }
      expect(rx.received.map((r) => r.url)).toEqual(['/hooks']);
    } finally {
      await rx.close();
    }
  });

  it('keeps state in --data-dir', async () => {
    const data = join(dir, 'emu-data');
    const cli = startCli(['emulator', '--port', '0', '--data-dir', data]);
    const url = await cli.ready();
    const created = await fetch(`${url}/webhook-subscriptions`, {
      method: 'POST',
      headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
      body: JSON.stringify({ event: 'render.completed', targetUrl: 'https://a.example/h' }),
    });
    expect(created.status).toBe(201);
    cli.signal('SIGTERM');
    expect(await cli.exit).toBe(0);
    expect(cli.stderr).toContain(`state kept in ${data}`);

    const again = startCli(['emulator', '--port', '0', '--data-dir', data]);
    const url2 = await again.ready();
    const list = await (
      await fetch(`${url2}/webhook-subscriptions`, { headers: { authorization: 'Bearer k' } })
    ).json();
    expect(list.pagination.total).toBe(1);
    again.signal('SIGTERM');
    expect(await again.exit).toBe(0);
  });

  it.each([
    [['--port', '70000'], /--port: must be between 0 and 65535/],
    [['--port', 'abc'], /--port: expected a whole number/],
    [['--retry-scale', '0'], /--retry-scale: expected a positive number/],
    [['--retry-scale', 'fast'], /--retry-scale: expected a positive number/],
  ])('emulator %j → exit 2', async (args, message) => {
    const r = await run(dir, ['emulator', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('a busy port → exit 1 with what to do', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as AddressInfo).port;
    try {
      const r = await run(dir, ['emulator', '--port', String(port)]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`error: port ${port} on 127.0.0.1 is already in use — `);
    } finally {
      busy.close();
    }
  });

  it('a corrupt state file → exit 1 naming the file', async () => {
    const data = mkdtempSync(join(tmpdir(), 'pictify-emu-bad-'));
    try {
      writeFileSync(join(data, STATE_FILE), 'not json');
      const r = await run(dir, ['emulator', '--port', '0', '--data-dir', data]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/error: cannot load the emulator state: .*is not valid JSON.* — fix or remove/);
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  });

  it('--help has a description and examples', async () => {
    const r = await run(dir, ['emulator', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Run a local Pictify API');
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).toContain('--retry-scale');
  });
});
