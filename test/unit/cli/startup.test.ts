// What start-up loads, observed on the built CLI: a module-resolution hook records every module the process
// resolves. --help must read the command specs without loading any command's implementation.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN } from '../../helpers/bin.js';
import { runOnPty } from '../../helpers/pty.js';
import { COMMAND_SPECS } from '../../../src/commands/index.js';

const dir = mkdtempSync(join(tmpdir(), 'pictify-hooks-startup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const hooks = join(dir, 'hooks.mjs');
writeFileSync(
  hooks,
  `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(process.env.MODULE_LOG, result.url + '\\n');
  return result;
}
`,
);
const register = join(dir, 'register.mjs');
writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(`file://${hooks}`)});\n`);

function loaded(args: string[]): { code: number | null; stdout: string; modules: string[] } {
  const log = join(dir, `modules-${args.join('_')}.log`);
  writeFileSync(log, '');
  const r = spawnSync(process.execPath, ['--import', register, BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', MODULE_LOG: log, PICTIFY_HOOKS_CONFIG_DIR: dir, NO_COLOR: '1' },
    encoding: 'utf8',
    timeout: 20_000,
  });
  const modules = [...new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean))];
  return { code: r.status, stdout: r.stdout, modules };
}

const ours = (modules: string[]) =>
  modules.filter((m) => m.includes('/dist/')).map((m) => m.replace(/^.*\/dist\//, ''));

describe('start-up', () => {
  it('a clone that was never built: one line that says so, exit 1, no loader stack', () => {
    const clone = join(dir, 'unbuilt');
    cpSync(join(BIN, '..'), join(clone, 'bin'), { recursive: true });
    writeFileSync(join(clone, 'package.json'), readFileSync(join(BIN, '..', '..', 'package.json')));
    for (const args of [['sign', 'render.completed', '--secret', 's'], ['--help']]) {
      const r = spawnSync(process.execPath, [join(clone, 'bin', 'pictify-hooks.js'), ...args], { encoding: 'utf8' });
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        `error: pictify-hooks is not built (no ${join(clone, 'dist')}) — run npm install, which builds it\n`,
      );
    }
  });

  it('--help lists every command from the specs and loads no implementation', () => {
    const r = loaded(['--help']);
    expect(r.code).toBe(0);
    for (const spec of COMMAND_SPECS) expect(r.stdout).toContain(`  ${spec.name}`);
    const dist = ours(r.modules);
    expect(dist.filter((m) => m.endsWith('/run.js'))).toEqual([]);
    // The specs come inlined in one module (scripts/inline-specs.mjs), not one module per command.
    expect(dist.length).toBeLessThanOrEqual(9);
    expect(r.modules.filter((m) => /node_modules\/(undici|chalk|ora|conf)\//.test(m))).toEqual([]);
  });

  it("a command's --help shows its options and examples without loading its implementation", () => {
    const r = loaded(['listen', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--forward-to <url>');
    expect(r.stdout).toMatch(/Examples:\n {2}\$ pictify-hooks listen/);
    expect(ours(r.modules).filter((m) => m.endsWith('/run.js'))).toEqual([]);
  });

  it('--help and -h on a pipe print the page commander renders, without loading commander or the program', async () => {
    const piped = loaded(['--help']);
    expect(piped.code).toBe(0);
    expect(piped.modules.filter((m) => m.includes('/node_modules/'))).toEqual([]);
    expect(ours(piped.modules)).toEqual([]);
    expect(loaded(['-h']).stdout).toBe(piped.stdout);
    // On a terminal commander renders it (at the terminal's width): at 80 columns, the same page.
    const onTerminal = await runOnPty(['--help'], { cols: 80, env: { PICTIFY_HOOKS_CONFIG_DIR: dir, NO_COLOR: '1' } })
      .done;
    expect(onTerminal.code).toBe(0);
    expect(onTerminal.output.replace(/\r\n/g, '\n')).toBe(piped.stdout);
    // and at another width, its own wrapping (so the terminal really is rendered, not the snapshot).
    const narrow = await runOnPty(['--help'], { cols: 60, env: { PICTIFY_HOOKS_CONFIG_DIR: dir, NO_COLOR: '1' } }).done;
    expect(narrow.output.replace(/\r\n/g, '\n')).not.toBe(piped.stdout);
    expect(narrow.output).toContain('Usage: pictify-hooks');
  });

  it('running a command loads its implementation and no other', () => {
    const r = loaded(['completion', 'bash']);
    expect(r.code).toBe(0);
    expect(ours(r.modules).filter((m) => m.endsWith('/run.js'))).toEqual(['commands/completion/run.js']);
  });
});

describe('--help on a pipe', () => {
  it('a reader that leaves at once (`| head -0`) is no error: exit 0, nothing on stderr', async () => {
    const child = spawn(process.execPath, [BIN, '--help'], {
      env: { PATH: process.env.PATH ?? '', PICTIFY_HOOKS_CONFIG_DIR: dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy(); // the read end closes before the page is written
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
