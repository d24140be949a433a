// listen's promises under real conditions (issue 11, items 2 and 8): an answer < 300 only for a record that is in
// the file at the store's path; a store that cannot be written answers 500 until it can; a ready file is either
// true or absent. The built bin, real processes, real signals.
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { postDelivery } from '../../src/outbound/post.js';
import { BIN, startWithReadyFile, useBinSandbox, waitFor, type Finished } from '../helpers/bin.js';
import { signedSample } from '../unit/receiver/deliver.js';
import { unusedPort } from '../helpers/ports.js';

const SECRET = 'whsec_store_e2e';
const NOBODY = 65534;

// A test may leave the folder unreadable: open it again before it is removed.
const { dir, cli, servers } = useBinSandbox({}, { beforeRemove: () => chmodSync(dir, 0o700) });

function idsIn(...files: string[]): Set<string> {
  const ids = new Set<string>();
  for (const file of files) {
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, 'utf8').split('\n'))
      if (line.trim() !== '') ids.add(JSON.parse(line).deliveryId);
  }
  return ids;
}

const deliver = (url: string, deliveryId: string) =>
  postDelivery(url, signedSample('render.completed', { nowMs: Date.now(), secret: SECRET, deliveryId }));

describe('listen and its store (built bin)', () => {
  it('store file removed under a stream of deliveries: every one answered 200 is in the file at the path', async () => {
    const file = join(dir, 'events.jsonl');
    const listen = await startWithReadyFile(cli, ['listen', '--port', '0', '--secret', SECRET, '--store', file], dir);
    const acked: string[] = [];
    let n = 0;
    const pump = async () => {
      for (let round = 0; round < 40; round++) {
        const ids = Array.from({ length: 25 }, () => `del_rm${n++}`);
        const results = await Promise.all(ids.map((id) => deliver(listen.url, id)));
        results.forEach((r, i) => r.status === 200 && acked.push(ids[i]));
      }
    };
    const pumping = pump();
    let startedBeforeLastRemoval = 0;
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 60));
      rmSync(file, { force: true });
      startedBeforeLastRemoval = n;
    }
    await pumping;
    listen.child.kill('SIGTERM');
    const done = await listen.done;
    expect(done.code).toBe(0);
    expect(acked.length).toBe(1000);
    expect(n - startedBeforeLastRemoval).toBeGreaterThan(200);
    // What was acknowledged before a removal went with the removed file (that is what rm does). Every delivery
    // sent after the last removal was acknowledged, so it must be in the file that is at the path now.
    const kept = idsIn(file);
    const sentAfter = acked.filter((id) => Number(id.slice('del_rm'.length)) >= startedBeforeLastRemoval);
    expect(sentAfter.filter((id) => !kept.has(id))).toEqual([]);
  });

  it('read-only folder, file removed (non-root user): 500 until writable again, said once, counted', async () => {
    const storeDir = join(dir, 'store');
    mkdirSync(storeDir);
    chmodSync(dir, 0o755);
    const asRoot = process.getuid?.() === 0;
    if (asRoot) chownSync(storeDir, NOBODY, NOBODY);
    const file = join(storeDir, 'events.jsonl');
    const ready = join(storeDir, 'ready');
    // Root ignores file modes: run listen as nobody, the way a developer's own user meets a read-only folder.
    const asNobody = asRoot ? ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups'] : [];
    const argv = [
      ...asNobody,
      process.execPath,
      BIN,
      'listen',
      '--port',
      '0',
      '--secret',
      SECRET,
      '--store',
      file,
      '--ready-file',
      ready,
    ];
    const child = spawn(argv[0], argv.slice(1), {
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', PICTIFY_HOOKS_CONFIG_DIR: storeDir },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    cli.children.push(child);
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c));
    const done = new Promise<Finished>((resolve) =>
      child.on('close', (code, signal) => resolve({ code, signal, stdout: '', stderr })),
    );
    const url = await waitFor(
      () => (existsSync(ready) ? readFileSync(ready, 'utf8').trim() || undefined : undefined),
      'listen',
    );

    const statuses = async (prefixId: string) => {
      const out: number[] = [];
      for (let i = 0; i < 5; i++) out.push((await deliver(url, `${prefixId}${i}`)).status ?? 0);
      return out;
    };
    expect(await statuses('del_before')).toEqual([200, 200, 200, 200, 200]);
    chmodSync(storeDir, 0o555);
    rmSync(file);
    expect(await statuses('del_readonly')).toEqual([500, 500, 500, 500, 500]);
    chmodSync(storeDir, 0o755);
    expect(await statuses('del_after')).toEqual([200, 200, 200, 200, 200]);
    child.kill('SIGTERM');
    const result = await done;
    expect(result.code).toBe(0);
    expect(result.stderr.match(/store: could not write the event store/g)).toHaveLength(1);
    expect(result.stderr).toMatch(/EACCES/);
    expect(result.stderr).toMatch(/store: writing to .*events\.jsonl again/);
    expect(result.stderr).toMatch(/5 NOT stored and answered 500/);
    expect([...idsIn(file)].sort()).toEqual(Array.from({ length: 5 }, (_, i) => `del_after${i}`));
  });

  it('an unwritable --ready-file is fatal: exit 1, port closed, no signal needed', async () => {
    const port = await unusedPort();
    const started = Date.now();
    const result = await cli.run(
      ['listen', '--port', String(port), '--secret', SECRET, '--ready-file', join(dir, 'no', 'such', 'dir', 'ready')],
      { timeoutMs: 15_000 },
    );
    expect(result.signal).toBeNull();
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/cannot write --ready-file .*: no such file or folder/);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await canConnect(port)).toBe(false);
  });

  it.each([['listen', '--secret', SECRET], ['emulator']])(
    '%s removes a leftover ready file at start, so a failed start never looks ready',
    async (...args) => {
      const busy = await occupiedPort();
      const ready = join(dir, 'ready');
      writeFileSync(ready, 'http://127.0.0.1:1/stale\n');
      const result = await cli.run([...args, '--port', String(busy), '--ready-file', ready], { timeoutMs: 15_000 });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/already in use/);
      expect(existsSync(ready)).toBe(false);
    },
  );

  it('the emulator with an unwritable --ready-file exits 1 by itself', async () => {
    const result = await cli.run(['emulator', '--port', '0', '--ready-file', join(dir, 'no', 'dir', 'ready')], {
      timeoutMs: 15_000,
    });
    expect(result.signal).toBeNull();
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/cannot write --ready-file/);
  });
});

async function occupiedPort(): Promise<number> {
  const s = createServer();
  servers.push(s);
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return (s.address() as { port: number }).port;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = connect(port, '127.0.0.1');
    c.once('connect', () => (c.destroy(), resolve(true)));
    c.once('error', () => resolve(false));
  });
}
