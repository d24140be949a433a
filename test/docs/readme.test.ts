// The README executes: every shell block runs as a script, section by section, in a fresh temp dir with a time
// bound, against the BUILT bin (npm test builds first), and must succeed and leave no process behind. The CI
// recipe's `run:` steps run the same way, one shell per step, with the job's env. Adaptations: run-script.ts.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readmeBlocks, SHELL_LANGS, workflowSteps, type Block } from './blocks.js';
import { adaptPorts, BIN, REPO, runSteps, type ScriptRun, type Step } from './run-script.js';

/** Shell blocks that are not run, and why. Each must still exist (a stale entry fails) and be a shell block. */
const NOT_RUN: Record<string, string> = {
  Authentication: '`login` asks on a terminal and checks the key with api.pictify.io (covered by command tests)',
  Performance: '`npm run bench` takes minutes of both cores; it has its own run (bench/) and checks its output',
};

// PICTIFY_DOCS_README=<file> runs another copy (e.g. an older README, to see what it did).
const blocks = readmeBlocks(process.env.PICTIFY_DOCS_README || undefined);
const shell = blocks.filter((b) => SHELL_LANGS.has(b.lang));
const sections = [...new Set(shell.map((b) => b.section))];
const dist = join(REPO, 'dist', 'cli', 'main.js');

function report(run: ScriptRun): string {
  return run.results
    .map(
      (r) =>
        `--- ${r.name}: exit ${r.code}${r.signal ? ` (${r.signal})` : ''}${r.timedOut ? ' TIMED OUT' : ''}\n` +
        r.output,
    )
    .join('\n');
}

function expectClean(run: ScriptRun, steps: Step[]): void {
  // PICTIFY_DOCS_SHOW=1 prints what every script printed, to read the README's real output.
  if (process.env.PICTIFY_DOCS_SHOW) console.log(report(run));
  const failed = run.results.find((r) => r.code !== 0);
  expect(failed, report(run)).toBeUndefined();
  expect(run.results.length, report(run)).toBe(steps.length);
  expect(run.leftovers, `processes left behind:\n${run.leftovers.join('\n')}\n${report(run)}`).toEqual([]);
}

const stepOf = (b: Block): Step => ({ name: `README line ${b.line} (${b.subsection || b.section})`, code: b.code });

describe('README', () => {
  it('has been built: the docs tests run dist/', () => {
    expect(existsSync(dist), 'run `npm run build` first (npm test does)').toBe(true);
  });

  it('labels every block that holds commands, and every exemption names a real shell section', () => {
    for (const b of blocks.filter((x) => !SHELL_LANGS.has(x.lang) && !['yaml', 'js', 'ts', 'json'].includes(x.lang)))
      expect(/^\s*(\$ )?(npx |npm |pictify-hooks )/m.test(b.code), `README line ${b.line}: label it sh`).toBe(false);
    for (const section of Object.keys(NOT_RUN)) expect(sections, `NOT_RUN entry "${section}"`).toContain(section);
  });

  for (const section of sections) {
    if (NOT_RUN[section] || section === 'CI') continue;
    // One script per `##` section: later blocks use what earlier ones set up (the emulator, $sub, $dir).
    it(`runs the shell blocks of "${section}" as pasted`, { timeout: 260_000 }, async () => {
      const steps = [
        {
          name: section,
          code: shell
            .filter((b) => b.section === section)
            .map((b) => `# README line ${b.line}\n${b.code}`)
            .join('\n'),
        },
      ];
      const run = await runSteps(steps, { timeoutMs: 240_000 });
      expectClean(run, steps);
    });
  }

  it(
    'runs the CI recipe: install, then the job steps with its env, against the Library node:http app',
    { timeout: 260_000 },
    async () => {
      const install = shell.filter((b) => b.section === 'CI').map(stepOf);
      const yaml = blocks.find((b) => b.section === 'CI' && b.lang === 'yaml');
      expect(yaml, 'the CI section has a yaml recipe').toBeDefined();
      const jobSteps = workflowSteps(yaml!.code).map((s) => ({ name: s.name, code: s.run, env: s.env }));
      expect(jobSteps.map((s) => s.code).join('\n')).toMatch(/app\.mjs/);
      const app = blocks.find((b) => b.section === 'Library' && b.lang === 'js' && b.code.includes('createServer'));
      expect(app, 'Library has a node:http example in a js block').toBeDefined();

      // The reader's app: the README's own example (its port goes through the same map as the scripts').
      const steps: Step[] = [
        ...install,
        { name: 'write app.mjs', code: `cat > app.mjs <<'__APP__'\n${app!.code}__APP__\n` },
        ...jobSteps,
      ];
      const run = await runSteps(steps, { timeoutMs: 240_000 });
      expectClean(run, steps);
      expect(run.results.at(-1)!.output).toMatch(/passed|\d+\/\d+/);
    },
  );
});

describe('supported Node versions', () => {
  it('engines, the README and .ci/run say the same: >= 20.19, tested on 20, 22 and 24', () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { engines: { node: string } };
    expect(pkg.engines.node).toBe('>=20.19');
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    expect(readme).toContain('Node.js 20.19 or later; tested on Node 20, 22 and 24');
    expect(readFileSync(join(REPO, '.ci', 'run'), 'utf8')).toMatch(/^EXTRA_NODES=\(22 24\)$/m);
    const [major, minor] = process.versions.node.split('.').map(Number);
    expect(major! > 20 || (major === 20 && minor! >= 19), `running on ${process.version}`).toBe(true);
  });
});

describe('the docs harness itself', () => {
  it('fails a script that fails, and reports a process it left behind', { timeout: 30_000 }, async () => {
    const failing = await runSteps([{ name: 'fails', code: 'true\nfalse\necho never\n' }]);
    expect(failing.results[0]!.code).toBe(1);
    expect(failing.results[0]!.output).not.toContain('never');

    const leaky = await runSteps([
      { name: 'leaks', code: `${JSON.stringify(process.execPath)} -e 'setTimeout(() => {}, 60000)' &\n` },
    ]);
    expect(leaky.results[0]!.code).toBe(0);
    expect(leaky.leftovers.join('\n')).toContain('setTimeout');
  });

  it('bounds a script in time', { timeout: 30_000 }, async () => {
    const slow = await runSteps([{ name: 'hangs', code: 'sleep 30\n' }], { timeoutMs: 1_000 });
    expect(slow.results[0]!.timedOut).toBe(true);
    expect(slow.results[0]!.code).not.toBe(0);
  });

  it(
    'runs the built bin for pictify-hooks and npx pictify-hooks, never the registry',
    { timeout: 30_000 },
    async () => {
      const run = await runSteps([
        {
          name: 'bins',
          code: 'pictify-hooks --version\nnpx pictify-hooks --version\nnpx cowsay hi || echo "refused $?"\n',
        },
      ]);
      const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
      expect(run.results[0]!.output.split('\n').filter((l) => l === version)).toHaveLength(2);
      expect(run.results[0]!.output).toContain('refused 127');
      expect(BIN).toMatch(/bin\/pictify-hooks\.js$/);
    },
  );

  it('maps only the example ports', () => {
    const ports = { 3000: 40001, 4000: 40002, 4001: 40003, 4010: 40004 };
    expect(adaptPorts('--port 3000 http://127.0.0.1:4000/x listen(4010) --count 3000 t=1700000000', ports)).toBe(
      '--port 40001 http://127.0.0.1:40002/x listen(40004) --count 3000 t=1700000000',
    );
  });

  it('reads a workflow: job env, block scalars, step env', () => {
    const steps = workflowSteps(
      [
        'jobs:',
        '  j:',
        '    env:',
        '      A: one',
        '    steps:',
        '      - uses: actions/checkout@v4',
        '      - run: echo $A',
        '      - name: two lines',
        '        env:',
        '          B: "two"',
        '        run: |',
        '          echo $A',
        '          echo $B',
      ].join('\n'),
    );
    expect(steps).toEqual([
      { name: 'echo $A', run: 'echo $A\n', env: { A: 'one' } },
      { name: 'two lines', run: 'echo $A\necho $B\n', env: { A: 'one', B: 'two' } },
    ]);
  });
});
