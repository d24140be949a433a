// What start-up loads, observed on the built CLI: a preloaded script lists every module the process required
// (require.cache, at exit), and each chunk of dist/bundle/ names its sources on its first line (scripts/bundle.mjs).
// --help must read the command specs without loading any command's implementation.
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

const recorder = join(dir, 'record.cjs');
writeFileSync(
  recorder,
  `const { writeFileSync } = require('node:fs');
process.on('exit', () => {
  writeFileSync(process.env.MODULE_LOG, Object.keys(require.cache).join('\\n'));
  writeFileSync(process.env.MODULE_LOG + '.builtins', process.moduleLoadList.join('\\n'));
});
`,
);

interface Loaded {
  code: number | null;
  stdout: string;
  /** The files of dist/bundle/ the process required. */
  chunks: string[];
  /** The source modules those chunks hold (src/… and node_modules/…). */
  sources: string[];
  /** Node's own modules the process loaded (`child_process`, `fs/promises`, …). */
  builtins: string[];
}

function loaded(args: string[]): Loaded {
  const log = join(dir, `modules-${args.join('_')}.log`);
  const r = spawnSync(process.execPath, ['--require', recorder, BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', MODULE_LOG: log, PICTIFY_HOOKS_CONFIG_DIR: dir, NO_COLOR: '1' },
    encoding: 'utf8',
    timeout: 20_000,
  });
  const chunks = readFileSync(log, 'utf8')
    .split('\n')
    .filter((file) => file.includes(join('dist', 'bundle')));
  const sources = chunks.flatMap((file) => {
    const first = readFileSync(file, 'utf8').split('\n', 1)[0];
    return first.startsWith('// ')
      ? first
          .slice(3)
          .split(', ')
          .filter((s) => /^(src|node_modules)\//.test(s))
      : [];
  });
  const builtins = readFileSync(`${log}.builtins`, 'utf8')
    .split('\n')
    .flatMap((line) => /^NativeModule (.+)$/.exec(line)?.[1] ?? []);
  return { code: r.status, stdout: r.stdout, chunks, sources, builtins };
}

/** A command's implementation: `src/commands/x-run.ts`, or `run.ts` in a command's folder. */
const runs = (sources: string[]) => sources.filter((s) => /^src\/commands\/.*(\/|-)run\.ts$/.test(s));
const packages = (sources: string[]) =>
  [...new Set(sources.flatMap((s) => /^node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(s)?.[1] ?? []))].sort();

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
        `error: pictify-hooks is not built (no ${join(clone, 'dist')}) — run npm run build (in a clone; the published package comes built)\n`,
      );
    }
  });

  it('--help lists every command from the specs and loads the specs and commander only', () => {
    const r = loaded(['--help']);
    expect(r.code).toBe(0);
    for (const spec of COMMAND_SPECS) expect(r.stdout).toContain(`  ${spec.name}`);
    expect(r.sources).toContain('src/cli/main.ts');
    expect(r.sources).toContain('src/commands/index.ts');
    expect(runs(r.sources)).toEqual([]);
    expect(packages(r.sources)).toEqual(['commander']);
    // main's whole static graph in one chunk, beside the entry (scripts/bundle.mjs: why `inject`)
    expect(r.chunks.length).toBeLessThanOrEqual(2);
  });

  it('--help and sign load none of the Node modules they do not use (child_process, fs/promises, readline, crypto)', () => {
    for (const args of [['--help'], ['sign', 'render.completed', '--secret', 's']]) {
      const r = loaded(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.builtins, args.join(' ')).toContain('net'); // the pipe its output goes to: the list is complete
      for (const unused of ['child_process', 'fs/promises', 'readline', 'dgram'])
        expect(r.builtins, `${args.join(' ')}: ${unused}`).not.toContain(unused);
    }
    expect(loaded(['--help']).builtins).not.toContain('crypto');
  });

  it("a command's --help shows its options and examples without loading its implementation", () => {
    const r = loaded(['listen', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--forward-to <url>');
    expect(r.stdout).toMatch(/Examples:\n {2}\$ pictify-hooks listen/);
    expect(runs(r.sources)).toEqual([]);
  });

  it('--help on a pipe is the page commander renders at 80 columns, on a terminal at its width', async () => {
    const piped = loaded(['--help']);
    expect(loaded(['-h']).stdout).toBe(piped.stdout);
    const onTerminal = await runOnPty(['--help'], { cols: 80, env: { PICTIFY_HOOKS_CONFIG_DIR: dir, NO_COLOR: '1' } })
      .done;
    expect(onTerminal.code).toBe(0);
    expect(onTerminal.output.replace(/\r\n/g, '\n')).toBe(piped.stdout);
    const narrow = await runOnPty(['--help'], { cols: 60, env: { PICTIFY_HOOKS_CONFIG_DIR: dir, NO_COLOR: '1' } }).done;
    expect(narrow.output.replace(/\r\n/g, '\n')).not.toBe(piped.stdout);
    expect(narrow.output).toContain('Usage: pictify-hooks');
  });

  it('running a command loads its implementation and no other', () => {
    const r = loaded(['completion', 'bash']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('complete');
    expect(runs(r.sources)).toHaveLength(1);
    expect(runs(r.sources)[0]).toMatch(/^src\/commands\/completion\b/);
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
