// The tunnel engines are the fake executables in test/fixtures/bin: real child processes, real local APIs.
import { existsSync, readFileSync } from 'node:fs';
import { getEventListeners } from 'node:events';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TunnelError } from '../../../src/receiver/tunnel/errors.js';
import { cloudflaredPlan } from '../../../src/receiver/tunnel/providers/cloudflared.js';
import { commandPlan } from '../../../src/receiver/tunnel/providers/command.js';
import { ngrokPlan } from '../../../src/receiver/tunnel/providers/ngrok.js';
import { freeLoopbackPort, startTunnel, type RunningTunnel } from '../../../src/receiver/tunnel/start.js';
import { isProcessRunning } from '../../../src/receiver/tunnel/temporary.js';
import { FAKE_BIN, fakeEnv, PATH_WITHOUT_TUNNELS, readState, startOrigin, tempDir, type Origin } from './support.js';
import { nodeProcess } from '../../../src/cli/node-context.js';

let dir: string;
let cleanup: () => void;
let origin: Origin;
const running: RunningTunnel[] = [];
beforeEach(async () => {
  ({ dir, cleanup } = tempDir());
  origin = await startOrigin();
});
afterEach(async () => {
  for (const t of running.splice(0)) await t.stop();
  await origin.close();
  cleanup();
});

async function expectTunnelError(promise: Promise<unknown>): Promise<TunnelError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TunnelError);
  return error as TunnelError;
}

describe('startTunnel with the fake engines', () => {
  it('cloudflared: documented flags, on loopback; the /quicktunnel URL forwards to listen', async () => {
    const state = join(dir, 'state.json');
    const logFile = join(dir, 'logs', 'cloudflared.log');
    const plan = cloudflaredPlan({ port: origin.port, metricsPort: await freeLoopbackPort() });
    const tunnel = await startTunnel({
      plan,
      logFile,
      proc: nodeProcess,
      env: fakeEnv({ FAKE_TUNNEL_STATE_FILE: state }),
    });
    running.push(tunnel);
    expect(tunnel.publicUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const { argv, origin: forwardsTo } = readState(state);
    expect(argv.slice(0, 3)).toEqual(['tunnel', '--url', `http://127.0.0.1:${origin.port}`]);
    expect(argv).toContain('--no-autoupdate');
    expect(argv[argv.indexOf('--metrics') + 1]).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(forwardsTo).toBe(origin.url);

    const res = await fetch(`${tunnel.publicUrl}/webhooks/pictify`, { method: 'POST', body: '{"a":1}' });
    expect(res.status).toBe(200);
    expect(origin.requests.map((r) => [r.url, r.body])).toEqual([['/webhooks/pictify', '{"a":1}']]);
    expect(origin.requests[0].headers['cf-ray']).toBeDefined();
    // Its output is in the log file, not anywhere else.
    expect(readFileSync(logFile, 'utf8')).toMatch(/Registered tunnel connection/);
    expect(tunnel.lastLines().some((l) => l.includes('Your quick Tunnel has been created'))).toBe(true);
  });

  it('ngrok: reads /api/tunnels at the address its log names (here not 4040) and forwards', async () => {
    const state = join(dir, 'state.json');
    const tunnel = await startTunnel({
      proc: nodeProcess,
      plan: ngrokPlan({ port: origin.port }),
      logFile: join(dir, 'ngrok.log'),
      env: fakeEnv({ FAKE_TUNNEL_STATE_FILE: state }),
    });
    running.push(tunnel);
    const s = readState(state) as ReturnType<typeof readState> & { webAddr: string };
    expect(s.argv).toEqual(['http', `127.0.0.1:${origin.port}`, '--log', 'stdout', '--log-format', 'json']);
    expect(s.webAddr).not.toBe('127.0.0.1:4040');
    expect(tunnel.publicUrl).toBe(s.publicUrl);
    expect((await fetch(`${tunnel.publicUrl}/x`, { method: 'POST', body: 'b' })).status).toBe(200);
    expect(origin.requests[0].headers['x-forwarded-proto']).toBe('https');
  });

  it('a missing binary is missing_binary, naming it, before anything else', async () => {
    const error = await expectTunnelError(
      startTunnel({
        proc: nodeProcess,
        plan: cloudflaredPlan({ port: origin.port, metricsPort: 1 }),
        logFile: join(dir, 'x.log'),
        env: { PATH: PATH_WITHOUT_TUNNELS },
      }),
    );
    expect(error.reason).toBe('missing_binary');
    expect(error.binary).toBe('cloudflared');
  });

  it('never reports a URL: not_ready after the timeout, with its last lines; it is stopped', async () => {
    const state = join(dir, 'pid');
    const started = Date.now();
    const error = await expectTunnelError(
      startTunnel({
        proc: nodeProcess,
        plan: cloudflaredPlan({ port: origin.port, metricsPort: await freeLoopbackPort() }),
        logFile: join(dir, 'x.log'),
        timeoutMs: 1_500,
        env: fakeEnv({ FAKE_TUNNEL_BEHAVIOUR: 'no-url', FAKE_TUNNEL_STATE_FILE: state }),
      }),
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_400);
    expect(error.reason).toBe('not_ready');
    expect(error.lastLines.join('\n')).toMatch(/Starting metrics server/);
    expect(error.logFile).toBe(join(dir, 'x.log'));
  });

  it('a tunnel that exits before it is up is exited_early with its exit code and its error line', async () => {
    const error = await expectTunnelError(
      startTunnel({
        proc: nodeProcess,
        plan: ngrokPlan({ port: origin.port }),
        logFile: join(dir, 'x.log'),
        env: fakeEnv({ FAKE_TUNNEL_BEHAVIOUR: 'fail-start' }),
      }),
    );
    expect(error.reason).toBe('exited_early');
    expect(error.exitCode).toBe(1);
    expect(error.lastLines.join('\n')).toMatch(/ERR_NGROK_4018/);
  });

  it('--tunnel-command: {port} substituted, URL by the pattern; a command not found is missing_binary', async () => {
    const command = `${join(FAKE_BIN, 'cloudflared')} tunnel --url http://127.0.0.1:{port} --no-autoupdate`;
    const tunnel = await startTunnel({
      proc: nodeProcess,
      plan: commandPlan({
        command,
        port: origin.port,
        urlPattern: '\\|\\s+(http://127\\.0\\.0\\.1:\\d+)',
        platform: 'linux',
        env: {},
      }),
      logFile: join(dir, 'cmd.log'),
      env: fakeEnv(),
    });
    running.push(tunnel);
    expect((await fetch(`${tunnel.publicUrl}/y`, { method: 'POST', body: 'c' })).status).toBe(200);
    expect(origin.requests.map((r) => r.url)).toEqual(['/y']);

    const error = await expectTunnelError(
      startTunnel({
        proc: nodeProcess,
        plan: commandPlan({ command: 'no-such-tunnel-tool-xyz {port}', port: origin.port, platform: 'linux', env: {} }),
        logFile: join(dir, 'cmd2.log'),
        env: fakeEnv(),
      }),
    );
    expect(error.reason).toBe('missing_binary');
  });

  it('a tool that never prints a URL is polled without piling up abort listeners (no MaxListenersExceededWarning)', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
    process.on('warning', onWarning);
    const stop = new AbortController();
    try {
      const error = await expectTunnelError(
        startTunnel({
          proc: nodeProcess,
          plan: commandPlan({
            command: 'echo starting {port}; sleep 30',
            port: origin.port,
            platform: 'linux',
            env: {},
          }),
          logFile: join(dir, 'quiet.log'),
          timeoutMs: 600,
          pollMs: 5,
          signal: stop.signal,
          env: fakeEnv(),
        }),
      );
      expect(error.reason).toBe('not_ready');
      await new Promise((r) => setImmediate(r)); // a warning is emitted on the next tick
    } finally {
      process.off('warning', onWarning);
    }
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(0);
    expect(warnings.filter((w) => w.startsWith('MaxListenersExceededWarning'))).toEqual([]);
  });

  it('a 200 KB "URL" is not used, and the last lines it leaves are cut to 1,000 characters', async () => {
    const long = `http://127.0.0.1:1/${'a'.repeat(200_000)}`;
    const error = await expectTunnelError(
      startTunnel({
        proc: nodeProcess,
        plan: commandPlan({
          // Made by the shell: one argument cannot be 200 KB long (Linux caps it at 128 KiB).
          command: "printf 'http://127.0.0.1:1/'; head -c 200000 /dev/zero | tr '\\0' a; echo; sleep 30 # {port}",
          port: origin.port,
          urlPattern: '(http://\\S+)',
          platform: 'linux',
          env: {},
        }),
        logFile: join(dir, 'long.log'),
        timeoutMs: 600,
        env: fakeEnv(),
      }),
    );
    expect(error.reason).toBe('not_ready');
    expect(error.lastLines).toEqual([`${long.slice(0, 1_000)}… (${long.length - 1_000} more characters)`]);
    expect(readFileSync(join(dir, 'long.log'), 'utf8')).toBe(`${long}\n`); // the log keeps it whole
  });

  it('stop() ends the whole process group of a command (the shell and the tool it started)', async () => {
    const state = join(dir, 'state.json');
    const command = `${join(FAKE_BIN, 'cloudflared')} tunnel --url http://127.0.0.1:{port}; sleep 60`;
    const tunnel = await startTunnel({
      proc: nodeProcess,
      plan: commandPlan({
        command,
        port: origin.port,
        urlPattern: '\\|\\s+(http://127\\.0\\.0\\.1:\\d+)',
        platform: 'linux',
        env: {},
      }),
      logFile: join(dir, 'cmd.log'),
      env: fakeEnv({ FAKE_TUNNEL_STATE_FILE: state }),
    });
    const toolPid = readState(state).pid;
    expect(isProcessRunning(toolPid, nodeProcess)).toBe(true);
    await tunnel.stop();
    for (let i = 0; i < 40 && isProcessRunning(toolPid, nodeProcess); i++) await new Promise((r) => setTimeout(r, 50));
    expect(isProcessRunning(toolPid, nodeProcess)).toBe(false);
    expect(isProcessRunning(tunnel.pid, nodeProcess)).toBe(false);
    expect(existsSync(join(dir, 'cmd.log'))).toBe(true);
  });
});

describe('freeLoopbackPort', () => {
  it('picks a port below the ephemeral range, so no parallel listen(0) can be given it before the tool binds it', async () => {
    const first = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    const ports = await Promise.all(Array.from({ length: 20 }, () => freeLoopbackPort()));
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(20_000);
      expect(port).toBeLessThan(first);
    }
  });
});
