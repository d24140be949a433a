// Real Pictify → localhost, end to end through the built bin: the emulator stands in for Pictify, the fake
// cloudflared/ngrok in test/fixtures/bin for the tunnels (loopback only). After every exit path the emulator must
// hold 0 subscriptions — or exactly the --keep / live-listen ones — and the config none of their secrets.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { startWithReadyFile, useBinSandbox, waitFor, type Finished, type Running } from '../helpers/bin.js';
import { isProcessRunning } from '../../src/receiver/tunnel/temporary.js';
import { FAKE_BIN, fakeEnv, PATH_WITHOUT_TUNNELS, startOrigin, type Origin } from '../unit/tunnel/support.js';
import { nodeProcess } from '../../src/cli/node-context.js';

const KEY = 'pk_test_e2e_tunnel';
const tunnelPids: number[] = [];
const { dir, cli, servers } = useBinSandbox(
  { PICTIFY_API_KEY: KEY, ...fakeEnv() },
  {
    beforeRemove: () => {
      for (const pid of tunnelPids.splice(0)) if (isProcessRunning(pid, nodeProcess)) process.kill(pid, 'SIGKILL');
    },
  },
);
let emulatorUrl: string;
let emulatorProc: Running;
let app: Origin;

beforeEach(async () => {
  const emulator = await startWithReadyFile(cli, ['emulator', '--port', '0'], dir);
  emulatorUrl = emulator.url;
  emulatorProc = emulator;
  app = await startOrigin();
  servers.push(app);
});

async function subscriptions(): Promise<Array<{ uid: string; event: string; targetUrl: string }>> {
  const res = await fetch(`${emulatorUrl}/webhook-subscriptions?limit=100`, {
    headers: { authorization: `Bearer ${KEY}` },
  });
  return ((await res.json()) as { subscriptions: Array<{ uid: string; event: string; targetUrl: string }> })
    .subscriptions;
}

function storedSecrets(): Record<string, { secret: string; temporary?: { pid: number; tunnel?: { pid: number } } }> {
  const file = join(dir, 'config.json');
  if (!existsSync(file)) return {};
  return JSON.parse(readFileSync(file, 'utf8')).profiles?.default?.secrets ?? {};
}

let listens = 0;
interface Listen extends Running {
  url: string;
  state: () => { pid: number; publicUrl: string; origin: string };
}

/** listen --subscribe …, waited for until Ready (its --ready-file); a loaded machine gets 45 s. */
async function startListen(args: string[], env: Record<string, string> = {}): Promise<Listen> {
  const stateFile = join(dir, `tunnel-state-${++listens}.json`);
  const readyFile = join(dir, `listen-ready-${listens}`);
  const running = cli.spawn(['--base-url', emulatorUrl, 'listen', '--port', '0', ...args, '--ready-file', readyFile], {
    env: { FAKE_TUNNEL_STATE_FILE: stateFile, ...env },
    timeoutMs: 120_000,
  });
  let exited: Finished | undefined;
  void running.done.then((r) => (exited = r));
  const url = await waitFor(
    () => {
      if (exited) throw new Error(`listen exited early (${exited.code}): ${exited.stderr}`);
      return existsSync(readyFile) ? readFileSync(readyFile, 'utf8').trim() || undefined : undefined;
    },
    'listen to be ready',
    45_000,
  );
  const state = () => JSON.parse(readFileSync(stateFile, 'utf8'));
  if (existsSync(stateFile)) tunnelPids.push(state().pid);
  return { ...running, url, state };
}

function run(args: string[], env: Record<string, string> = {}) {
  return cli.run(['--base-url', emulatorUrl, ...args], { env });
}

describe('listen --subscribe through a tunnel (fake engines, emulator)', { timeout: 90_000 }, () => {
  it('cloudflared: subscription at the tunnel URL → trigger → verified → forwarded → SIGINT → gone', async () => {
    const listen = await startListen([
      '--subscribe',
      'render.completed',
      '--tunnel',
      'cloudflared',
      '--forward-to',
      `${app.url}/webhooks/pictify`,
    ]);
    const { publicUrl, origin, pid: tunnelPid } = listen.state();
    expect(publicUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(origin).toBe(listen.url); // the tunnel forwards to listen, on loopback

    const subs = await subscriptions();
    expect(subs).toHaveLength(1);
    expect(subs[0]).toMatchObject({ event: 'render.completed', targetUrl: `${publicUrl}/webhooks/pictify` });
    const secrets = storedSecrets();
    expect(secrets[subs[0].uid].temporary?.pid).toBe(listen.child.pid);
    expect(statSync(join(dir, 'config.json')).mode & 0o777).toBe(0o600);
    const stderr = listen.stderr();
    expect(stderr).toMatch(
      new RegExp(`Ready: listening on http://127\\.0\\.0\\.1:\\d+ — secrets: 1 \\(${subs[0].uid}\\)`),
    );
    expect(stderr).toContain(`public: ${publicUrl}/webhooks/pictify (cloudflared; self-test ✓`);
    expect(stderr).toContain(`${subs[0].uid} render.completed`);
    expect(stderr).not.toContain(secrets[subs[0].uid].secret); // no --print-secret
    const logFile = /tunnel log: (\S+)/.exec(stderr)![1];
    expect(readFileSync(logFile, 'utf8')).toMatch(/Registered tunnel connection/);
    expect(listen.stdout()).toBe(''); // tunnel output never reaches stdout; the self-test is not a delivery line
    expect(app.requests).toHaveLength(0); // the self-test is not forwarded

    const trigger = await run(['trigger', 'render.completed']);
    expect(trigger.code, trigger.stderr).toBe(0);
    await waitFor(() => listen.stdout().includes('render.completed') || undefined, 'the delivery line');
    expect(listen.stdout()).toMatch(new RegExp(`✓\\s+render\\.completed .*secret=${subs[0].uid}`));
    await waitFor(() => app.requests.length === 1 || undefined, 'the forward');
    expect(app.requests[0].headers['x-pictify-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);

    listen.child.kill('SIGINT');
    const done = await listen.done;
    expect(done.code, done.stderr).toBe(130);
    expect(done.stderr).toContain(`Deleted 1 temporary subscription and its secret: ${subs[0].uid}`);
    expect(await subscriptions()).toEqual([]);
    expect(storedSecrets()).toEqual({});
    expect(isProcessRunning(tunnelPid, nodeProcess)).toBe(false);
  });

  it('ngrok: the same loop; the agent API address comes from its log', async () => {
    const listen = await startListen(['--subscribe', 'render.completed', '--tunnel', 'ngrok']);
    const { publicUrl } = listen.state();
    expect((await subscriptions()).map((s) => s.targetUrl)).toEqual([`${publicUrl}/webhooks/pictify`]);
    expect((await run(['trigger', 'render.completed'])).code).toBe(0);
    await waitFor(() => /✓\s+render\.completed/.test(listen.stdout()) || undefined, 'the delivery');
    listen.child.kill('SIGTERM');
    expect((await listen.done).code).toBe(0);
    expect(await subscriptions()).toEqual([]);
    expect(storedSecrets()).toEqual({});
  });

  const exitPaths: Array<[string, string[], number]> = [
    ['--exit-after 1', ['--exit-after', '1', '--timeout', '20s'], 0],
    ['--wait-for render.*', ['--wait-for', 'render.*', '--timeout', '20s'], 0],
    ['--timeout (5 wanted, 1 came)', ['--exit-after', '5', '--timeout', '3s'], 1],
  ];
  for (const [name, extra, code] of exitPaths) {
    it(`exit path ${name}: exit ${code}, the six subscriptions of --subscribe all deleted`, async () => {
      const listen = await startListen(['--subscribe', 'all', '--tunnel', 'cloudflared', ...extra]);
      expect(await subscriptions()).toHaveLength(6);
      expect((await run(['trigger', 'render.completed'])).code).toBe(0);
      const done = await listen.done;
      expect(done.code, done.stderr).toBe(code);
      expect(done.stderr).toMatch(/Deleted 6 temporary subscriptions and their secrets/);
      expect(await subscriptions()).toEqual([]);
      expect(storedSecrets()).toEqual({});
    });
  }

  it('--keep: SIGINT leaves the subscription and its secret, ordinary now, and says how to remove it', async () => {
    const listen = await startListen(['--subscribe', 'batch.completed', '--tunnel', 'cloudflared', '--keep']);
    const [sub] = await subscriptions();
    listen.child.kill('SIGINT');
    const done = await listen.done;
    expect(done.code).toBe(130);
    expect(done.stderr).toContain(`pictify-hooks delete ${sub.uid} --yes`);
    expect((await subscriptions()).map((s) => s.uid)).toEqual([sub.uid]);
    expect(storedSecrets()[sub.uid].temporary).toBeUndefined();
    // Not a leftover: cleanup does not touch it.
    const cleaned = await run(['cleanup']);
    expect(cleaned.code).toBe(0);
    expect((await subscriptions()).map((s) => s.uid)).toEqual([sub.uid]);
  });

  it('kill -9: the subscription stays recorded; `cleanup` deletes it and stops the orphaned tunnel', async () => {
    const listen = await startListen(['--subscribe', 'render.completed', '--tunnel', 'cloudflared']);
    const tunnelPid = listen.state().pid;
    const [sub] = await subscriptions();
    listen.child.kill('SIGKILL');
    await listen.done;
    expect((await subscriptions()).map((s) => s.uid)).toEqual([sub.uid]);
    expect(storedSecrets()[sub.uid].temporary).toBeDefined();

    const listed = await run(['list']);
    expect(listed.stderr).toContain(`temporary (made by listen --subscribe, deleted when it stops): ${sub.uid}`);
    expect(listed.stderr).toMatch(/gone: `pictify-hooks cleanup` deletes it/);
    const listedJson = JSON.parse((await run(['list', '--json'])).stdout);
    expect(listedJson[0].temporary).toMatchObject({ pid: listen.child.pid, running: false });

    const cleaned = await run(['cleanup']);
    expect(cleaned.code, cleaned.stderr).toBe(0);
    expect(cleaned.stderr).toContain(`Deleted ${sub.uid} (render.completed), left by listen pid ${listen.child.pid}`);
    expect(await subscriptions()).toEqual([]);
    expect(storedSecrets()).toEqual({});
    await waitFor(() => !isProcessRunning(tunnelPid, nodeProcess) || undefined, 'the orphaned tunnel to stop');
  });

  it('kill -9 with a --tunnel-command: `cleanup` also stops its process group, the shell and the tool it started', async () => {
    const command = `${join(FAKE_BIN, 'cloudflared')} tunnel --url http://127.0.0.1:{port}; sleep 60`;
    const listen = await startListen([
      '--subscribe',
      'render.completed',
      '--tunnel-command',
      command,
      '--tunnel-url-pattern',
      '\\|\\s+(http://127\\.0\\.0\\.1:\\d+)',
    ]);
    const toolPid = listen.state().pid;
    const [sub] = await subscriptions();
    const shellPid = storedSecrets()[sub.uid].temporary!.tunnel!.pid;
    expect(shellPid).not.toBe(toolPid);
    tunnelPids.push(shellPid);
    listen.child.kill('SIGKILL');
    await listen.done;
    expect(isProcessRunning(shellPid, nodeProcess) && isProcessRunning(toolPid, nodeProcess)).toBe(true);

    const cleaned = await run(['cleanup']);
    expect(cleaned.code, cleaned.stderr).toBe(0);
    expect(cleaned.stderr).toContain(`Stopped its tunnel process (pid ${shellPid}).`);
    expect(await subscriptions()).toEqual([]);
    await waitFor(() => !isProcessRunning(toolPid, nodeProcess) || undefined, 'the tunnel command’s tool to stop');
    await waitFor(() => !isProcessRunning(shellPid, nodeProcess) || undefined, 'the tunnel command’s shell to stop');
  });

  it('kill -9: the next plain listen deletes the leftover; a live listen’s subscription is left alone', async () => {
    const live = await startListen(['--subscribe', 'render.failed', '--tunnel', 'cloudflared']);
    const dead = await startListen(['--subscribe', 'render.completed', '--tunnel', 'cloudflared']);
    const subs = await subscriptions();
    const liveUid = subs.find((s) => s.event === 'render.failed')!.uid;
    const deadUid = subs.find((s) => s.event === 'render.completed')!.uid;
    dead.child.kill('SIGKILL');
    await dead.done;

    const check = await run(['cleanup', '--dry-run']);
    expect(check.stderr).toContain(`Would delete ${deadUid}`);
    expect(check.stderr).toContain(
      `Left ${liveUid} (render.failed): its listen (pid ${live.child.pid}) is still running`,
    );
    expect(await subscriptions()).toHaveLength(2);

    const plain = await startListen(['--secret', 'whsec_x']);
    expect(plain.stderr()).toContain(`Deleted ${deadUid} (render.completed), left by listen pid ${dead.child.pid}`);
    expect((await subscriptions()).map((s) => s.uid)).toEqual([liveUid]);
    plain.child.kill('SIGTERM');
    await plain.done;

    live.child.kill('SIGTERM');
    expect((await live.done).code).toBe(0);
    expect(await subscriptions()).toEqual([]);
  });

  it('two listens at once: each deletes only its own', async () => {
    const [a, b] = await Promise.all([
      startListen(['--subscribe', 'render.completed', '--tunnel', 'cloudflared']),
      startListen(['--subscribe', 'render.completed', '--tunnel', 'ngrok']),
    ]);
    const subs = await subscriptions();
    expect(subs).toHaveLength(2);
    expect(Object.keys(storedSecrets()).sort()).toEqual(subs.map((s) => s.uid).sort());
    const bUid = subs.find((s) => s.targetUrl.startsWith(b.state().publicUrl))!.uid;
    a.child.kill('SIGINT');
    expect((await a.done).code).toBe(130);
    expect((await subscriptions()).map((s) => s.uid)).toEqual([bUid]);
    expect(Object.keys(storedSecrets())).toEqual([bUid]);
    // b still works.
    expect((await run(['trigger', 'render.completed'])).code).toBe(0);
    await waitFor(() => /✓\s+render\.completed/.test(b.stdout()) || undefined, 'b to verify');
    b.child.kill('SIGINT');
    expect((await b.done).code).toBe(130);
    expect(await subscriptions()).toEqual([]);
    expect(storedSecrets()).toEqual({});
  });

  it('the tunnel dies while listening: says so, deletes, exits 1', async () => {
    const listen = await startListen(['--subscribe', 'render.completed', '--tunnel', 'cloudflared'], {
      FAKE_TUNNEL_BEHAVIOUR: 'die-after:4000',
    });
    expect(await subscriptions()).toHaveLength(1);
    const done = await listen.done;
    expect(done.code).toBe(1);
    expect(done.stderr).toMatch(/the tunnel \(cloudflared\) exited \(code 1\) while listening/);
    expect(done.stderr).toMatch(/Tunnel server stopped/);
    expect(await subscriptions()).toEqual([]);
    expect(storedSecrets()).toEqual({});
  });

  it('the tunnel is killed while listening (kill -9 of the tunnel): the same', async () => {
    const listen = await startListen(['--subscribe', 'render.completed', '--tunnel', 'ngrok']);
    process.kill(listen.state().pid, 'SIGKILL');
    const done = await listen.done;
    expect(done.code).toBe(1);
    expect(done.stderr).toMatch(/the tunnel \(ngrok\) exited \(signal SIGKILL\) while listening/);
    expect(await subscriptions()).toEqual([]);
  });
});

describe('listen --subscribe when the API is gone at the end', { timeout: 90_000 }, () => {
  it('a delete that keeps failing: retried, reported with the uid, exit 1, the record kept for cleanup', async () => {
    const port = await freePort();
    const listen = await startListen(
      ['--port', String(port), '--subscribe', 'render.completed', '--public-url', `http://127.0.0.1:${port}`],
      { PICTIFY_MAX_RETRY_WAIT: '10ms' },
    );
    const [sub] = await subscriptions();
    emulatorProc.child.kill('SIGKILL');
    await emulatorProc.done;
    listen.child.kill('SIGTERM');
    const done = await listen.done;
    expect(done.code).toBe(1);
    expect(done.stderr).toContain(`could not delete temporary subscription ${sub.uid}`);
    expect(done.stderr).toMatch(/1 temporary subscription could not be deleted — run `pictify-hooks cleanup`/);
    expect(storedSecrets()[sub.uid].temporary?.pid).toBe(listen.child.pid);
    const dry = await run(['cleanup', '--dry-run']);
    expect(dry.stderr).toContain(`Would delete ${sub.uid}`);
  });
});

describe('listen --subscribe stopped while the tunnel starts', { timeout: 90_000 }, () => {
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 0],
  ] as const) {
    it(`${signal} before Ready: the tunnel is stopped, nothing was created, exit ${code}`, async () => {
      const stateFile = join(dir, `slow-${signal}.json`);
      const listen = cli.spawn(
        ['--base-url', emulatorUrl, 'listen', '--port', '0', '--subscribe', 'all', '--tunnel', 'cloudflared'],
        { env: { FAKE_TUNNEL_READY_MS: '30000', FAKE_TUNNEL_STATE_FILE: stateFile } },
      );
      const tunnelPid: number = await waitFor(() => {
        try {
          return JSON.parse(readFileSync(stateFile, 'utf8')).pid;
        } catch {
          return undefined; // not there, or half written
        }
      }, 'the tunnel to start');
      tunnelPids.push(tunnelPid);
      listen.child.kill(signal);
      const done = await listen.done;
      expect(done.code, done.stderr).toBe(code);
      expect(done.stderr).not.toMatch(/Ready:/);
      await waitFor(() => !isProcessRunning(tunnelPid, nodeProcess) || undefined, 'the tunnel to stop');
      expect(await subscriptions()).toEqual([]);
      expect(storedSecrets()).toEqual({});
    });
  }
});

describe('listen --subscribe failing before Ready: nothing is left', { timeout: 90_000 }, () => {
  async function fails(args: string[], env: Record<string, string> = {}) {
    const result = await cli.run(['--base-url', emulatorUrl, 'listen', '--port', '0', ...args], { env });
    expect(await subscriptions()).toEqual([]);
    expect(storedSecrets()).toEqual({});
    return result;
  }

  it('a missing binary: one line naming it, how to install it and --public-url; exit 2', async () => {
    const result = await fails(['--subscribe', 'render.completed', '--tunnel', 'cloudflared'], {
      PATH: PATH_WITHOUT_TUNNELS,
    });
    expect(result.code).toBe(2);
    const lines = result.stderr
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('error:'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/cloudflared is not installed .*brew install cloudflared.*--public-url/);
    const ngrok = await fails(['--subscribe', 'render.completed', '--tunnel', 'ngrok'], { PATH: PATH_WITHOUT_TUNNELS });
    expect(ngrok.code).toBe(2);
    expect(ngrok.stderr).toMatch(/ngrok is not installed .*ngrok\.com\/download/);
  });

  it('a tunnel that never reports a URL: exit 1 after --tunnel-timeout with its last lines and its log', async () => {
    const started = Date.now();
    const result = await fails(
      ['--subscribe', 'render.completed', '--tunnel', 'cloudflared', '--tunnel-timeout', '2s'],
      {
        FAKE_TUNNEL_BEHAVIOUR: 'no-url',
      },
    );
    expect(result.code).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_000);
    expect(result.stderr).toMatch(/cloudflared did not report a public URL within 2 s/);
    expect(result.stderr).toMatch(/last lines from the tunnel:\n(.*\n)*.*Starting metrics server/);
    expect(result.stderr).toMatch(/its log: \S+cloudflared-\d+\.log/);
  });

  it('a tunnel that exits at start (ngrok without an authtoken): exit 1 with its error', async () => {
    const result = await fails(['--subscribe', 'render.completed', '--tunnel', 'ngrok'], {
      FAKE_TUNNEL_BEHAVIOUR: 'fail-start',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/ngrok exited \(code 1\) before it reported a public URL/);
    expect(result.stderr).toMatch(/ERR_NGROK_4018/);
  });

  it('a self-test that does not come back: exit 1, no subscription was made', async () => {
    const result = await fails(['--subscribe', 'render.completed', '--tunnel', 'cloudflared'], {
      FAKE_TUNNEL_BEHAVIOUR: 'blackhole',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/the self-test delivery did not come back: the tunnel answered 530/);
  });

  it('an error after creation (an unwritable --ready-file): deleted, tunnel stopped, exit 1', async () => {
    const stateFile = join(dir, 'late-error.json');
    const result = await fails(
      ['--subscribe', 'render.completed', '--tunnel', 'cloudflared', '--ready-file', join(dir, 'no', 'such', 'ready')],
      { FAKE_TUNNEL_STATE_FILE: stateFile },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/cannot write --ready-file/);
    expect(result.stderr).toMatch(/Deleted 1 temporary subscription and its secret: wh_\w+/);
    expect(isProcessRunning(JSON.parse(readFileSync(stateFile, 'utf8')).pid, nodeProcess)).toBe(false);
  });

  it('bad flags are usage errors (exit 2) before anything starts', async () => {
    const typo = await fails(['--subscribe', 'render.complete', '--tunnel', 'cloudflared']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/render\.completed/);
    expect((await fails(['--subscribe', 'render.completed'])).stderr).toMatch(/needs a public URL/);
    expect((await fails(['--tunnel', 'cloudflared'])).code).toBe(2);
    expect((await fails(['--subscribe', 'all', '--tunnel', 'localtunnel'])).code).toBe(2);
  });
});

describe('listen --subscribe --public-url (your own tunnel; offline with the emulator)', { timeout: 90_000 }, () => {
  it('emulator + --public-url + trigger → verified; --print-secret and --write-env', async () => {
    const port = await freePort();
    const envFile = join(dir, '.env.local');
    writeFileSync(envFile, 'OTHER=1\nPICTIFY_WEBHOOK_SECRET=stale\n');
    const listen = await startListen([
      '--port',
      String(port),
      '--subscribe',
      'render.completed',
      '--public-url',
      `http://127.0.0.1:${port}`,
      '--print-secret',
      '--write-env',
      envFile,
      '--exit-after',
      '1',
      '--timeout',
      '20s',
    ]);
    const [sub] = await subscriptions();
    expect(sub.targetUrl).toBe(`http://127.0.0.1:${port}/webhooks/pictify`);
    const secret = storedSecrets()[sub.uid].secret;
    expect(listen.stderr()).toContain(`secret ${sub.uid}: ${secret}`);
    expect(readFileSync(envFile, 'utf8')).toBe(`OTHER=1\nPICTIFY_WEBHOOK_SECRET=${secret}\n`);
    expect(statSync(envFile).mode & 0o777).toBe(0o600);
    expect((await run(['trigger', 'render.completed'])).code).toBe(0);
    const done = await listen.done;
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toMatch(/✓\s+render\.completed/);
    expect(await subscriptions()).toEqual([]);
  });
});

describe('demo', { timeout: 90_000 }, () => {
  it('its listen --subscribe step: a temporary subscription through a stand-in tunnel, none left', async () => {
    const demo = await cli.run(['demo', '--json']);
    expect(demo.code, demo.stderr).toBe(0);
    const summary = JSON.parse(demo.stdout);
    expect(summary.subscribe).toMatchObject({ ok: true, verified: true, left: 0 });
    expect(summary.subscribe.publicUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const human = await cli.run(['demo']);
    expect(human.stdout).toMatch(/7\. Real Pictify → localhost: listen --subscribe through a loopback stand-in tunnel/);
    expect(human.stderr).toMatch(/Deleted 1 temporary subscription and its secret: wh_\w+/);
    expect(human.stdout).toMatch(/✓ listen --subscribe: .*deleted when listen stopped \(0 left\)/);
  });
});

async function freePort(): Promise<number> {
  const { freeLoopbackPort } = await import('../../src/receiver/tunnel/start.js');
  return freeLoopbackPort();
}
