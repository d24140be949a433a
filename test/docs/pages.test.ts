// The docs execute: every shell block of the README and of each page in docs/ runs as a script, one script per `##`
// section, in a fresh temp dir with a time bound, against the BUILT bin (npm test builds first), and must succeed
// and leave no process behind. A block marked `<!-- docs: file app.mjs -->` is saved as that file first, as the
// reader would. The CI recipe's `run:` steps run one shell per step, with the job's env. Adaptations: run-script.ts.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { docPages, extractBlocks, pageName, SHELL_LANGS, workflowSteps, type Block } from './blocks.js';
import { adaptPorts, BIN, docsScript, REPO, runSteps, type ScriptRun, type Step } from './run-script.js';

/** Sections whose shell blocks are not run, and why. Each must exist (a stale entry fails) and hold a shell block. */
const NOT_RUN: Record<string, string> = {
  'docs/commands.md#Authentication':
    '`login` asks on a terminal and checks the key with api.pictify.io (covered by command tests)',
  'README.md#Real Pictify deliveries on localhost':
    'starts cloudflared and needs a Pictify account (docs/tunnels.md runs the same flow offline)',
};
/** The section that holds the GitHub Actions recipe, run step by step against the library's node:http app. */
const CI_RECIPE = 'docs/ci.md#A GitHub Actions job';
const LIBRARY = 'docs/library.md';

const pages = docPages().map((file) => ({
  name: pageName(file),
  blocks: extractBlocks(readFileSync(file, 'utf8')),
}));
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
  // PICTIFY_DOCS_SHOW=1 prints what every script printed, to read the docs' real output.
  if (process.env.PICTIFY_DOCS_SHOW) console.log(report(run));
  const failed = run.results.find((r) => r.code !== 0);
  expect(failed, report(run)).toBeUndefined();
  expect(run.results.length, report(run)).toBe(steps.length);
  expect(run.leftovers, `processes left behind:\n${run.leftovers.join('\n')}\n${report(run)}`).toEqual([]);
}

const saveAs = (b: Block): string => `cat > ${b.file} <<'__DOCS_FILE__'\n${b.code}__DOCS_FILE__\n`;

describe('the docs', () => {
  it('have been built: the docs tests run dist/', () => {
    expect(existsSync(dist), 'run `npm run build` first (npm test does)').toBe(true);
  });

  it('label every block that holds commands, and every exemption names a real shell section', () => {
    const shellSections = new Set<string>();
    for (const page of pages) {
      for (const b of page.blocks) {
        if (SHELL_LANGS.has(b.lang)) shellSections.add(`${page.name}#${b.section}`);
        else if (!['yaml', 'js', 'ts', 'json'].includes(b.lang))
          expect(/^\s*(\$ )?(npx |npm |pictify-hooks )/m.test(b.code), `${page.name} line ${b.line}: label it sh`).toBe(
            false,
          );
      }
    }
    for (const section of [...Object.keys(NOT_RUN), CI_RECIPE]) expect([...shellSections], section).toContain(section);
  });

  it('README is the front page: at most 15 KB, and it links every page in docs/', () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    expect(Buffer.byteLength(readme)).toBeLessThanOrEqual(15 * 1024);
    for (const page of pages.filter((p) => p.name.startsWith('docs/'))) expect(readme).toContain(`](${page.name})`);
  });

  for (const page of pages) {
    const sections = [...new Set(page.blocks.filter((b) => SHELL_LANGS.has(b.lang)).map((b) => b.section))];
    for (const section of sections) {
      const key = `${page.name}#${section}`;
      if (NOT_RUN[key] || key === CI_RECIPE) continue;
      // One script per `##` section: later blocks use what earlier ones set up (the emulator, $sub).
      it(`${key}: runs the shell blocks as pasted`, { timeout: 260_000 }, async () => {
        const inSection = page.blocks.filter((b) => b.section === section);
        const code = [
          ...inSection.filter((b) => b.file).map(saveAs),
          ...inSection.filter((b) => SHELL_LANGS.has(b.lang)).map((b) => `# ${page.name} line ${b.line}\n${b.code}`),
        ].join('\n');
        const steps = [{ name: key, code }];
        const run = await runSteps(steps, { timeoutMs: 240_000 });
        expectClean(run, steps);
      });
    }
  }

  it(
    "runs the CI recipe: install, then the job steps with its env, against the library's node:http app",
    { timeout: 260_000 },
    async () => {
      const [pageOf, sectionOf] = CI_RECIPE.split('#') as [string, string];
      const blocks = pages.find((p) => p.name === pageOf)!.blocks.filter((b) => b.section === sectionOf);
      const install = blocks
        .filter((b) => SHELL_LANGS.has(b.lang))
        .map((b) => ({ name: `${pageOf} line ${b.line}`, code: b.code }));
      const yaml = blocks.find((b) => b.lang === 'yaml');
      expect(yaml, 'the CI page has a yaml recipe').toBeDefined();
      const jobSteps = workflowSteps(yaml!.code).map((s) => ({ name: s.name, code: s.run, env: s.env, raw: true }));
      expect(jobSteps.map((s) => s.code).join('\n')).toMatch(/app\.mjs/);
      const app = pages
        .find((p) => p.name === LIBRARY)!
        .blocks.find((b) => b.lang === 'js' && b.code.includes('createServer'));
      expect(app, `${LIBRARY} has a node:http example in a js block`).toBeDefined();

      // The reader's app: the library page's own example (its port goes through the same map as the scripts').
      const steps: Step[] = [
        ...install,
        { name: 'write app.mjs', code: `cat > app.mjs <<'__APP__'\n${app!.code}__APP__\n`, raw: true },
        ...jobSteps,
      ];
      const run = await runSteps(steps, { timeoutMs: 240_000 });
      expectClean(run, steps);
      expect(run.results.at(-1)!.output).toMatch(/passed|\d+\/\d+/);
    },
  );
});

describe('supported Node versions', () => {
  it('engines, the README and .ci/run say the same: >= 20.19, tested on 20, 22, 24 and 26', () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { engines: { node: string } };
    expect(pkg.engines.node).toBe('>=20.19');
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    expect(readme).toContain('Node.js 20.19 or later; tested on Node 20, 22, 24 and 26');
    expect(readFileSync(join(REPO, '.ci', 'run'), 'utf8')).toMatch(/^EXTRA_NODES=\(22 24 26\)$/m);
    const [major, minor] = process.versions.node.split('.').map(Number);
    expect(major! > 20 || (major === 20 && minor! >= 19), `running on ${process.version}`).toBe(true);
  });
});

describe('the docs harness itself', () => {
  it('fails a script that fails, and reports a process it left behind', { timeout: 30_000 }, async () => {
    const failing = await runSteps([{ name: 'fails', code: 'true\nfalse\necho never\n', raw: true }]);
    expect(failing.results[0]!.code).toBe(1);
    expect(failing.results[0]!.output).not.toContain('never');

    const leaky = await runSteps([
      { name: 'leaks', code: `${JSON.stringify(process.execPath)} -e 'setTimeout(() => {}, 60000)' &\n`, raw: true },
    ]);
    expect(leaky.results[0]!.code).toBe(0);
    expect(leaky.leftovers.join('\n')).toContain('setTimeout');
  });

  it(
    'waits for a server started in the background, stops it at the end, and refuses one with no port',
    { timeout: 30_000 },
    async () => {
      const server = `${JSON.stringify(process.execPath)} -e 'setTimeout(() => require("http").createServer((q, s) => s.end("up")).listen(Number(process.argv.at(-1)), "127.0.0.1"), 500)' --`;
      const run = await runSteps([
        { name: 'server', code: `${server} --port 4000 &\ncurl -s http://127.0.0.1:4000/\n` },
      ]);
      expect(run.results[0]!.code, run.results[0]!.output).toBe(0);
      expect(run.results[0]!.output).toBe('up');
      expect(run.leftovers).toEqual([]);
      expect(() => docsScript('sleep 5 &\n', {})).toThrow(/names no port/);
    },
  );

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

describe('the reference tables agree with the CLI', () => {
  const run = (args: string[]) => execFileSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });

  it('docs/environment.md lists exactly the variables of `help environment` (plus the test-only ones)', () => {
    const documented = [...readFileSync(join(REPO, 'docs', 'environment.md'), 'utf8').matchAll(/^\| `([A-Z_]+)`/gm)]
      .map((m) => m[1]!)
      .filter((name) => !['REDIS_URL'].includes(name));
    const listed = [...run(['help', 'environment']).matchAll(/^ {2}([A-Z_]+) /gm)].map((m) => m[1]!);
    expect(documented.sort()).toEqual(listed.sort());
  });

  it('the README exit-code table is `help exit-codes`', () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const documented = [...readme.matchAll(/^\| (\d+) \| /gm)].map((m) => Number(m[1]));
    const listed = [...run(['help', 'exit-codes']).matchAll(/^ +(\d+) {2}/gm)].map((m) => Number(m[1]));
    expect(documented).toEqual(listed);
  });
});

describe('the demo', () => {
  it(
    'ends with a command that works after the quick start as written (npx in the clone)',
    { timeout: 120_000 },
    async () => {
      const demo = execFileSync(process.execPath, [BIN, 'demo'], {
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
      });
      const last = demo.trimEnd().split('\n').at(-1)!;
      const command = /try it for real: (.+?), then (.+)$/.exec(last);
      expect(command, last).not.toBeNull();
      expect(command![2]).toMatch(/README → Receive in your app/);
      expect(readFileSync(join(REPO, 'README.md'), 'utf8')).toContain('## Receive in your app');
      const run = await runSteps([
        {
          name: 'demo hint',
          code: `${command![1]} &\ncurl -s http://127.0.0.1:4010/webhook-subscriptions -H 'Authorization: Bearer pk_x'\n`,
        },
      ]);
      expect(run.results[0]!.code, run.results[0]!.output).toBe(0);
      expect(run.results[0]!.output).toContain('"subscriptions"');
    },
  );
});
