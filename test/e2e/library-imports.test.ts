// Importing the library or an adapter (the built package, by its public names) loads only our signing, events,
// text (the sanitiser, for what an adapter logs) and adapter modules plus node builtins: never the CLI, commander,
// undici, chalk, ora, conf — nor the framework itself.
// Every subpath package.json exports is checked for the CLI's code and dependencies, those added later included.
// The store subpaths take the user's client, so they load no package at all; the bullmq subpath loads bullmq alone.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const HOOK = fileURLToPath(new URL('../fixtures/import-hook/record.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'pictify-imports-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let runs = 0;
function loadedBy(specifier: string): string[] {
  const file = join(dir, `${specifier.replace(/\W/g, '_')}-${++runs}.txt`);
  execFileSync(process.execPath, ['--import', HOOK, '--input-type=module', '-e', `await import('${specifier}')`], {
    cwd: ROOT, // the package imports itself by name through its "exports"
    env: { PATH: process.env.PATH ?? '', PICTIFY_LOADED: file },
    timeout: 20_000,
  });
  return readFileSync(file, 'utf8').trim().split('\n');
}

const ENTRIES = [
  'pictify-hooks',
  ...['express', 'fastify', 'hono', 'next', 'node', 'redis', 'postgres'].map((a) => `pictify-hooks/${a}`),
];

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  exports: Record<string, unknown>;
  dependencies: Record<string, string>;
};
const EXPORTED = Object.keys(pkg.exports)
  .filter((path) => !path.endsWith('.json')) // data (package.json, the schema), not code
  .map((path) => (path === '.' ? 'pictify-hooks' : `pictify-hooks/${path.slice(2)}`));

describe.each(EXPORTED)('import %s', (specifier) => {
  it("loads no CLI module and none of the CLI's dependencies", () => {
    const loaded = loadedBy(specifier);
    expect(loaded.filter((url) => /\/dist\/(cli|commands|bundle)\//.test(url))).toEqual([]);
    for (const dependency of Object.keys(pkg.dependencies))
      expect(loaded.filter((url) => url.includes(`/node_modules/${dependency}/`))).toEqual([]);
  });
});

describe.each(ENTRIES)('import %s', (specifier) => {
  it('loads no CLI module, no dependency and no framework', () => {
    const loaded = loadedBy(specifier);
    const ours = loaded.filter((url) => url.startsWith('file:'));
    // The hook really saw the imports (a store subpath is two small modules: itself and the claim contract).
    expect(ours.length).toBeGreaterThan(/redis|postgres/.test(specifier) ? 1 : 5);
    expect(loaded.filter((url) => url.includes('/node_modules/'))).toEqual([]);
    for (const forbidden of [
      '/dist/cli/',
      '/dist/commands/',
      '/dist/api/',
      '/dist/output/',
      '/dist/store/',
      '/dist/outbound/',
      '/dist/bundle/',
    ]) {
      expect(ours.filter((url) => url.includes(forbidden))).toEqual([]);
    }
    for (const url of ours) expect(url).toMatch(/\/dist\/(index|adapters\/|signing\/|events\/|text\/)/);
    const builtins = loaded.filter((url) => url.startsWith('node:'));
    expect(builtins.every((b) => ['node:crypto', 'node:buffer'].includes(b))).toBe(true);
  });
});

describe('import pictify-hooks/bullmq', () => {
  it('loads bullmq (and what bullmq loads), but no CLI module, no framework, no pg', () => {
    const loaded = loadedBy('pictify-hooks/bullmq');
    const packages = new Set(
      loaded
        .filter((url) => url.includes('/node_modules/'))
        .map((url) => /\/node_modules\/((@[^/]+\/)?[^/]+)/.exec(url)![1]),
    );
    expect(packages).toContain('bullmq');
    for (const other of ['pg', 'express', 'fastify', 'hono', 'commander', 'undici', 'chalk', 'ora'])
      expect(packages.has(other), other).toBe(false);
    const ours = loaded.filter((url) => url.startsWith('file:') && !url.includes('/node_modules/'));
    for (const url of ours) expect(url).toMatch(/\/dist\/(adapters\/|signing\/|events\/|text\/)/);
  });
});
