// Our local files trust nothing (issue 25, "the event store and local files"): the event store and the config file
// are opened without following a link and refused unless they are regular files; every folder we create is 0700
// and every file 0600; a config folder or file another user can change is refused before its base-url gets the
// API key; a permission problem is worded as one. The built bin, as root here: chown/chmod and setpriv simulate
// the other users.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { postDelivery } from '../../src/outbound/post.js';
import { BIN, startWithReadyFile, useBinSandbox } from '../helpers/bin.js';
import { signedSample } from '../unit/receiver/deliver.js';

const SECRET = 'whsec_files_e2e';
const KEY = 'pk_test_files_0123456789';
const NOBODY = 65534;
const { dir, cli, servers } = useBinSandbox();
const asRoot = process.getuid?.() === 0;

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);
/** The error line without its hint (printed after an em dash). */
const oneLine = (text: string) => text.trim().split('\n')[0].split(' — ')[0];

/** A loopback API that records who called it and answers an empty list. */
async function recordingApi() {
  const seen: IncomingMessage['headers'][] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"subscriptions":[],"pagination":{"page":1,"limit":20,"total":0,"totalPages":0}}');
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

describe('the event store is a regular file or nothing', () => {
  it('a symlinked --store is refused at start (exit 1, one line) and its target is left as it was', async () => {
    const target = join(dir, 'passwd-copy');
    writeFileSync(target, 'root:x:0:0:root:/root:/bin/bash\n');
    const link = join(dir, 'events.jsonl');
    symlinkSync(target, link);
    const r = await cli.run(['listen', '--port', '0', '--secret', SECRET, '--store', link]);
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toBe(
      `error: cannot read the event store ${link}: it is a symbolic link, not a regular file (refused)`,
    );
    expect(readFileSync(target, 'utf8')).toBe('root:x:0:0:root:/root:/bin/bash\n');
  });

  it('a FIFO as store: listen refuses it at start; events list and inspect say so instead of blocking', async () => {
    const fifo = join(dir, 'fifo.jsonl');
    execFileSync('mkfifo', [fifo]);
    const listen = await cli.run(['listen', '--port', '0', '--secret', SECRET, '--store', fifo], { timeoutMs: 10_000 });
    expect(listen.signal).toBeNull();
    expect(listen.code).toBe(1);
    expect(oneLine(listen.stderr)).toMatch(/it is a FIFO, not a regular file \(refused\)/);
    const list = await cli.run(['events', 'list', '--store', fifo], { timeoutMs: 10_000 });
    expect([list.signal, list.code]).toEqual([null, 2]);
    expect(oneLine(list.stderr)).toMatch(/it is a FIFO, not a regular file \(refused\)/);
    const inspect = await cli.run(['inspect', '--store', fifo, '--ui-port', '0'], { timeoutMs: 10_000 });
    expect(inspect.signal).toBeNull();
    expect(inspect.code).not.toBe(0);
    expect(oneLine(inspect.stderr)).toMatch(/it is a FIFO, not a regular file \(refused\)/);
  });

  it('a device (/dev/full) or a folder as store is refused too', async () => {
    for (const [store, kind] of [
      ['/dev/full', 'device'],
      [dir, 'folder'],
    ]) {
      const r = await cli.run(['listen', '--port', '0', '--secret', SECRET, '--store', store]);
      expect(r.code).toBe(1);
      expect(oneLine(r.stderr)).toMatch(new RegExp(`it is a ${kind}, not a regular file \\(refused\\)`));
    }
  });

  it('folders listen creates (the config folder, a new --store folder) are 0700, the store 0600', async () => {
    const configDir = join(dir, 'fresh', 'config');
    const storeFile = join(dir, 'stores', 'a', 'events.jsonl');
    for (const args of [[], ['--store', storeFile]]) {
      const listen = await startWithReadyFile(cli, ['listen', '--port', '0', '--secret', SECRET, ...args], dir);
      const sent = signedSample('render.completed', { nowMs: Date.now(), secret: SECRET });
      expect((await postDelivery(listen.url, sent)).status).toBe(200);
      listen.child.kill('SIGTERM');
      await listen.done;
    }
    // The first run stored into the sandbox's config folder; run once more with a config folder that does not exist.
    const fresh = spawnSync(
      process.execPath,
      [BIN, 'listen', '--port', '0', '--secret', SECRET, '--exit-after', '1', '--timeout', '1s'],
      { env: { PATH: process.env.PATH ?? '', PICTIFY_HOOKS_CONFIG_DIR: configDir }, encoding: 'utf8' },
    );
    expect(fresh.stderr).toMatch(/Ready/);
    expect([mode(join(dir, 'fresh')), mode(configDir), mode(join(configDir, 'events.jsonl'))]).toEqual([
      '700',
      '700',
      '600',
    ]);
    expect([mode(join(dir, 'stores')), mode(join(dir, 'stores', 'a')), mode(storeFile)]).toEqual(['700', '700', '600']);
  });
});

describe('the config file is trusted only when only we can change it', () => {
  it('a world-writable config folder is refused before a planted base-url gets the API key', async () => {
    const api = await recordingApi();
    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify({ profiles: { default: { apiKey: KEY, baseUrl: api.url } } }),
      {
        mode: 0o600,
      },
    );
    chmodSync(dir, 0o777);
    const r = await cli.run(['list']);
    chmodSync(dir, 0o700);
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toBe(
      `error: refusing to use the config folder ${dir}: it is writable by every user (mode 777), so another user could change it`,
    );
    expect(api.seen).toEqual([]);
    expect(r.stdout + r.stderr).not.toContain(KEY);
    // The same file in a private folder is used.
    expect((await cli.run(['list'])).code).toBe(0);
    expect(api.seen.map((h) => h.authorization)).toEqual([`Bearer ${KEY}`]);
  });

  it.runIf(asRoot)('a config.json owned by another user (and writable by others) is refused', async () => {
    const api = await recordingApi();
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ profiles: { default: { apiKey: KEY, baseUrl: api.url } } }));
    chownSync(file, NOBODY, NOBODY);
    chmodSync(file, 0o666);
    const r = await cli.run(['list']);
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toMatch(
      new RegExp(`^error: refusing to use the config file ${file}: it is writable by every user \\(mode 666\\)`),
    );
    chmodSync(file, 0o644);
    const foreign = await cli.run(['config', 'get', 'base-url']);
    expect(foreign.code).toBe(1);
    expect(oneLine(foreign.stderr)).toMatch(
      /it belongs to another user \(uid 65534\), so another user could change it/,
    );
    expect(api.seen).toEqual([]);
  });

  it('a symlinked or FIFO config.json is refused, without blocking', async () => {
    const file = join(dir, 'config.json');
    const elsewhere = join(dir, 'elsewhere.json');
    writeFileSync(elsewhere, JSON.stringify({ profiles: { default: { apiKey: KEY } } }));
    symlinkSync(elsewhere, file);
    const link = await cli.run(['config', 'get', 'api-key']);
    expect(link.code).toBe(1);
    expect(oneLine(link.stderr)).toBe(
      `error: cannot read the config file ${file}: it is a symbolic link, not a regular file (refused)`,
    );
    expect(link.stdout).not.toContain(KEY);
    const set = await cli.run(['secrets', 'set', 'wh_x', 'whsec_x']);
    expect(set.code).toBe(1);
    expect(JSON.parse(readFileSync(elsewhere, 'utf8'))).toEqual({ profiles: { default: { apiKey: KEY } } });
  });

  it('a FIFO config.json is refused, without blocking', async () => {
    const file = join(dir, 'config.json');
    execFileSync('mkfifo', [file]);
    const r = await cli.run(['config', 'get', 'api-key'], { timeoutMs: 10_000 });
    expect([r.signal, r.code]).toEqual([null, 1]);
    expect(oneLine(r.stderr)).toBe(
      `error: cannot read the config file ${file}: it is a FIFO, not a regular file (refused)`,
    );
  });

  it.runIf(asRoot)('a config file we may not read says "permission denied", not "not valid"', () => {
    const folder = join(dir, 'private');
    mkdirSync(folder, { mode: 0o755 });
    chownSync(folder, NOBODY, NOBODY);
    const file = join(folder, 'config.json');
    writeFileSync(file, '{}', { mode: 0o600 }); // root's, unreadable to nobody
    chmodSync(dir, 0o755);
    const r = spawnSync(
      'setpriv',
      [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', process.execPath, BIN, 'config', 'get', 'api-key'],
      { env: { PATH: process.env.PATH ?? '', PICTIFY_HOOKS_CONFIG_DIR: folder, NO_COLOR: '1' }, encoding: 'utf8' },
    );
    chmodSync(dir, 0o700);
    expect(r.status).toBe(1);
    expect(oneLine(r.stderr)).toBe(`error: cannot read the config file ${file}: permission denied (EACCES)`);
  });
});
