import { spawn, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  classifyTemporary,
  deleteTemporary,
  isProcessRunning,
  processStartTicks,
  stopOrphanTunnel,
  temporaryEntries,
  type SecretBook,
} from '../../../src/receiver/tunnel/temporary.js';
import type { StoredSecret, TemporaryMark } from '../../../src/store/config.js';
import { nodeProcess } from '../../../src/cli/node-context.js';

function memoryBook(initial: Record<string, StoredSecret>): SecretBook & { data: Record<string, StoredSecret> } {
  const data = { ...initial };
  return {
    data,
    secrets: () => ({ ...data }),
    saveSecret: (_p, uid, s) => void (data[uid] = s),
    removeSecret: (_p, uid) => delete data[uid],
  };
}

const mark = (pid: number, host = 'here') => ({ pid, hostname: host, startedAt: 'x', publicUrl: 'https://t' });

describe('temporary subscriptions', () => {
  it('a pid that exited is not running; ours is; EPERM (another user) counts as running', () => {
    const exited = spawnSync(process.execPath, ['-e', '0']).pid!;
    expect(isProcessRunning(exited, nodeProcess)).toBe(false);
    expect(isProcessRunning(process.pid, nodeProcess)).toBe(true);
    expect(isProcessRunning(1, nodeProcess)).toBe(true); // init: EPERM for a normal user, or ours as root
    expect(isProcessRunning(0, nodeProcess)).toBe(false);
  });

  it('classifies: dead owner here → stale, live owner → live, another host → elsewhere; plain secrets ignored', () => {
    const entries = temporaryEntries({
      wh_plain: { secret: 'whsec_1' },
      wh_dead: { secret: 'whsec_2', temporary: mark(111) },
      wh_live: { secret: 'whsec_3', temporary: mark(222) },
      wh_far: { secret: 'whsec_4', temporary: mark(111, 'other-host') },
    });
    const c = classifyTemporary(entries, { hostname: 'here', isRunning: (pid) => pid === 222 });
    expect(c.stale.map((e) => e.uid)).toEqual(['wh_dead']);
    expect(c.live.map((e) => e.uid)).toEqual(['wh_live']);
    expect(c.elsewhere.map((e) => e.uid)).toEqual(['wh_far']);
  });

  it('retries a failed delete, takes 404 as done, keeps the secret of one that keeps failing', async () => {
    const book = memoryBook({
      wh_flaky: { secret: 'a', temporary: mark(1) },
      wh_gone: { secret: 'b', temporary: mark(1) },
      wh_broken: { secret: 'c', temporary: mark(1) },
    });
    const calls: string[] = [];
    let flaky = 0;
    const api = {
      deleteSubscription: async (uid: string) => {
        calls.push(uid);
        if (uid === 'wh_flaky' && ++flaky < 3) throw Object.assign(new Error('503 from the API'), { status: 503 });
        if (uid === 'wh_gone') throw Object.assign(new Error('not found'), { status: 404 });
        if (uid === 'wh_broken') throw new Error('connection refused');
        return {};
      },
    };
    const outcome = await deleteTemporary(api, book, 'default', ['wh_flaky', 'wh_gone', 'wh_broken'], { delayMs: 1 });
    expect(outcome.deleted).toEqual(['wh_flaky', 'wh_gone']);
    expect(outcome.failed).toEqual([{ uid: 'wh_broken', message: 'connection refused' }]);
    expect(calls.filter((c) => c === 'wh_flaky')).toHaveLength(3);
    expect(calls.filter((c) => c === 'wh_broken')).toHaveLength(3);
    expect(Object.keys(book.data)).toEqual(['wh_broken']);
  });
});

describe('stopOrphanTunnel: a --tunnel-command left by a listen killed with -9', () => {
  /** What TunnelChild starts: a shell in its own process group, here with a child that outlives nothing. */
  function commandTunnel(): { shell: number; child: () => number | undefined } {
    const sh = spawn('/bin/sh', ['-c', 'sleep 60 & echo $!; wait'], {
      detached: true,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let child: number | undefined;
    sh.stdout!.on('data', (c: Buffer) => (child ??= Number(c.toString().trim())));
    sh.unref();
    return { shell: sh.pid!, child: () => child };
  }

  async function gone(pid: number): Promise<boolean> {
    for (let i = 0; i < 100 && isProcessRunning(pid, nodeProcess); i++) await new Promise((r) => setTimeout(r, 20));
    return !isProcessRunning(pid, nodeProcess);
  }

  it('stops the shell and its child when the pid still has the recorded start time, and only then', async () => {
    const tunnel = commandTunnel();
    for (let i = 0; i < 100 && tunnel.child() === undefined; i++) await new Promise((r) => setTimeout(r, 20));
    const child = tunnel.child()!;
    const startTicks = processStartTicks(tunnel.shell)!;
    expect(startTicks).toMatch(/^\d+$/);
    const recorded = (tunnel: TemporaryMark['tunnel']) => ({ ...mark(999_999), tunnel });
    try {
      // A reused pid (another start time), or an older mark without one: left alone.
      expect(stopOrphanTunnel(recorded({ provider: 'command', pid: tunnel.shell, startTicks: '1' }), nodeProcess)).toBe(
        false,
      );
      expect(stopOrphanTunnel(recorded({ provider: 'command', pid: tunnel.shell }), nodeProcess)).toBe(false);
      expect(isProcessRunning(tunnel.shell, nodeProcess) && isProcessRunning(child, nodeProcess)).toBe(true);

      expect(stopOrphanTunnel(recorded({ provider: 'command', pid: tunnel.shell, startTicks }), nodeProcess)).toBe(
        true,
      );
      expect(await gone(tunnel.shell)).toBe(true);
      expect(await gone(child)).toBe(true);
    } finally {
      for (const pid of [tunnel.shell, child]) if (isProcessRunning(pid, nodeProcess)) process.kill(pid, 'SIGKILL');
    }
  });

  it('processStartTicks: a number for a live process, undefined for one that exited', () => {
    expect(processStartTicks(process.pid)).toMatch(/^\d+$/);
    expect(processStartTicks(spawnSync(process.execPath, ['-e', '0']).pid!)).toBeUndefined();
  });
});
