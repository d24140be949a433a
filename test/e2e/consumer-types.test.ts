// A consumer project (ESM) type-checks against every public entry point of the built package, with
// moduleResolution node16 and bundler: the subpath "exports" resolve to their .d.ts and the types narrow.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../fixtures/consumer', import.meta.url));
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

const project = mkdtempSync(join(tmpdir(), 'pictify-consumer-'));
cpSync(FIXTURE, project, { recursive: true });
mkdirSync(join(project, 'node_modules'));
// Installed as a package would be: by name, resolved through package.json "exports" only.
symlinkSync(ROOT, join(project, 'node_modules', 'pictify-hooks'), 'dir');
symlinkSync(join(ROOT, 'node_modules', '@types'), join(project, 'node_modules', '@types'), 'dir');
afterAll(() => rmSync(project, { recursive: true, force: true }));

async function tsc(config: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [TSC, '-p', join(project, config)], {
      cwd: project,
      timeout: 150_000,
    });
    return { code: 0, output: stdout };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe.each(['tsconfig.node16.json', 'tsconfig.bundler.json'])('consumer project with %s', (config) => {
  it('type-checks against pictify-hooks and every adapter subpath', async () => {
    const result = await tsc(config);
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  }, 180_000);

  it('fails on a wrong use of the types (the check is real)', async () => {
    const broken = `broken-${config}`;
    writeFileSync(
      join(project, 'broken.ts'),
      "import { constructEvent } from 'pictify-hooks';\n" +
        "const e = constructEvent('{}', 't=1', 'whsec_x');\n" +
        "if (e.event === 'render.failed') e.data.url.toUpperCase();\n" +
        "import { nothing } from 'pictify-hooks/express';\n",
    );
    writeFileSync(join(project, broken), JSON.stringify({ extends: `./${config}`, files: ['broken.ts'] }));
    const result = await tsc(broken);
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/broken\.ts\(3,\d+\): error TS2339: Property 'url' does not exist/);
    expect(result.output).toMatch(
      /broken\.ts\(4,\d+\): error TS2305: Module '"pictify-hooks\/express"' has no exported member 'nothing'/,
    );
  }, 180_000);
});
