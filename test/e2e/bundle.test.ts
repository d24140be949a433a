// The built bundle (dist/bundle/, scripts/bundle.mjs) finds what lies beside it at run time as the per-file modules
// did: the version in package.json, the inspector page's browser modules in web/.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startWithReadyFile, useBinSandbox } from '../helpers/bin.js';
import { call } from '../unit/inspector/support.js';

const { dir, cli } = useBinSandbox();
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

describe('the built bundle', () => {
  it("--version prints package.json's version", async () => {
    const r = await cli.run(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${pkg.version}\n`);
  });

  it('--version --json (either order) prints it as JSON, like every other --json answer', async () => {
    for (const args of [
      ['--version', '--json'],
      ['--json', '-v'],
    ]) {
      const r = await cli.run(args);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({ version: pkg.version });
    }
  });

  it("serves the inspector page's modules as browser JavaScript", async () => {
    const store = join(dir, 'events.jsonl');
    writeFileSync(store, '');
    const { url } = await startWithReadyFile(cli, ['inspect', '--store', store, '--ui-port', '0'], dir);
    const { origin, host, pathname, search } = new URL(url);
    const headers = { host };
    expect((await call(origin, pathname + search, { headers })).status).toBe(200);
    const app = await call(origin, '/assets/app.js', { headers });
    expect(app.status).toBe(200);
    expect(app.headers['content-type']).toBe('text/javascript; charset=utf-8');
    // Compiled: the page imports its siblings by their .js names, and no TypeScript is left in it.
    expect(app.text).toMatch(/from "\.\/api\.js"|from '\.\/api\.js'/);
    expect(app.text).not.toMatch(/\bimport type\b|: Histogram\b/);
    expect((await call(origin, '/assets/api.js', { headers })).status).toBe(200);
  });
});
