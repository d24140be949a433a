// The compiled bundle kept between runs (bin/code-cache.js): V8's code cache in a folder only this user can write.
// A cache that is corrupt, or in a folder others could write, changes nothing a user sees; NODE_DISABLE_COMPILE_CACHE
// turns it off.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/bin.js';

const dir = mkdtempSync(join(tmpdir(), 'pictify-hooks-code-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(cacheHome: string, args: string[], extra: Record<string, string> = {}, bin = BIN) {
  return spawnSync(process.execPath, [bin, ...args], {
    env: {
      PATH: process.env.PATH ?? '',
      XDG_CACHE_HOME: cacheHome,
      PICTIFY_HOOKS_CONFIG_DIR: dir,
      NO_COLOR: '1',
      ...extra,
    },
    encoding: 'utf8',
    timeout: 20_000,
  });
}

const folder = (cacheHome: string) =>
  join(cacheHome, 'pictify-hooks', 'code-cache', `${process.version}-${process.arch}`);
const SIGN = ['sign', 'render.completed', '--secret', 's', '--timestamp', '1700000000', '--delivery-id', 'd1'];

describe('the code cache', () => {
  it('is written on the first run and used by the next: the same output, a 0700 folder of 0600 files', () => {
    const home = join(dir, 'fresh');
    const first = run(home, SIGN);
    const second = run(home, SIGN);
    expect(first.status).toBe(0);
    expect(second).toMatchObject({ status: 0, stdout: first.stdout, stderr: '' });
    const files = readdirSync(folder(home));
    expect(files.some((f) => f.startsWith('pictify-hooks.cjs@'))).toBe(true);
    expect(files.some((f) => f.startsWith('run-'))).toBe(true);
    expect(statSync(folder(home)).mode & 0o777).toBe(0o700);
    for (const file of files) expect(statSync(join(folder(home), file)).mode & 0o777, file).toBe(0o600);
  });

  it('a corrupt cache is rejected, the bundle compiled from source, and the cache written anew', () => {
    const home = join(dir, 'corrupt');
    const clean = run(home, SIGN);
    const files = readdirSync(folder(home));
    for (const file of files) writeFileSync(join(folder(home), file), Buffer.from('not V8 bytecode at all'));
    expect(run(home, SIGN)).toMatchObject({ status: 0, stdout: clean.stdout, stderr: '' });
    for (const file of files)
      expect(readFileSync(join(folder(home), file)).toString(), file).not.toBe('not V8 bytecode at all');
  });

  it('a chunk rewritten with the same size is a new file: compiled from source, its old cache replaced', () => {
    const home = join(dir, 'rebuilt');
    const install = join(dir, 'install');
    const repo = join(BIN, '..', '..');
    for (const part of ['bin', 'dist', 'package.json'])
      cpSync(join(repo, part), join(install, part), { recursive: true });
    const bin = join(install, 'bin', 'pictify-hooks.js');
    const first = run(home, SIGN, {}, bin);
    expect(first.status).toBe(0);
    const entryCaches = () => readdirSync(folder(home)).filter((f) => f.startsWith('pictify-hooks.cjs@'));
    const [before] = entryCaches();
    // A rebuild that happens to keep the entry's size (V8 compares only the length): same bytes, a new file.
    // And the same mtime, as npm gives every file it installs.
    const entry = join(install, 'dist', 'bundle', 'pictify-hooks.cjs');
    const { atime, mtime } = statSync(entry);
    writeFileSync(`${entry}.new`, readFileSync(entry));
    renameSync(`${entry}.new`, entry);
    utimesSync(entry, atime, mtime);
    expect(run(home, SIGN, {}, bin)).toMatchObject({ status: 0, stdout: first.stdout, stderr: '' });
    const after = entryCaches();
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(before);
  });

  it('NODE_DISABLE_COMPILE_CACHE: no cache written', () => {
    const home = join(dir, 'disabled');
    expect(run(home, SIGN, { NODE_DISABLE_COMPILE_CACHE: '1' })).toMatchObject({ status: 0, stderr: '' });
    expect(readdirSync(dir)).not.toContain('disabled');
  });

  it('a cache under a parent folder others can write (they could swap the folder) is not used', () => {
    const home = join(dir, 'open-parent');
    const clean = run(join(dir, 'reference-parent'), SIGN);
    mkdirSync(folder(home), { recursive: true, mode: 0o700 });
    chmodSync(join(home, 'pictify-hooks'), 0o777);
    expect(run(home, SIGN)).toMatchObject({ status: 0, stdout: clean.stdout, stderr: '' });
    expect(readdirSync(folder(home))).toEqual([]);
  });

  it('a folder others can write is not used: not read, not written', () => {
    const home = join(dir, 'shared');
    const clean = run(join(dir, 'reference'), SIGN);
    mkdirSync(folder(home), { recursive: true });
    chmodSync(folder(home), 0o777);
    const planted = join(folder(home), 'pictify-hooks.cjs-planted');
    writeFileSync(planted, 'someone else');
    expect(run(home, SIGN)).toMatchObject({ status: 0, stdout: clean.stdout, stderr: '' });
    expect(readdirSync(folder(home))).toEqual(['pictify-hooks.cjs-planted']);
    expect(readFileSync(planted, 'utf8')).toBe('someone else');
  });
});
