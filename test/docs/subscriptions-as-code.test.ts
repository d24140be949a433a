// docs/subscriptions-as-code.md executes: its shell blocks run as pasted (one script per `##` section, the built
// bin, the harness of readme.test.ts); its subscriptions file loads; and its GitHub Actions recipe runs, both jobs'
// `run:` steps in order, against the emulator, with stand-ins only for what GitHub provides (the secrets, the job
// summary file, the gh CLI).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseSubscriptionsFile } from '../../src/declarative/load.js';
import { readmeBlocks, SHELL_LANGS, workflowSteps } from './blocks.js';
import { runSteps, type ScriptRun, type Step } from './run-script.js';

const PAGE = fileURLToPath(new URL('../../docs/subscriptions-as-code.md', import.meta.url));
const blocks = readmeBlocks(PAGE);
const shell = blocks.filter((b) => SHELL_LANGS.has(b.lang));
const yamlBlocks = blocks.filter((b) => b.lang === 'yaml');
const sections = [...new Set(shell.map((b) => b.section))];

function report(run: ScriptRun): string {
  return run.results
    .map((r) => `--- ${r.name}: exit ${r.code}${r.timedOut ? ' TIMED OUT' : ''}\n${r.output}`)
    .join('\n');
}

function expectClean(run: ScriptRun, steps: Step[]): void {
  if (process.env.PICTIFY_DOCS_SHOW) console.log(report(run));
  expect(
    run.results.find((r) => r.code !== 0),
    report(run),
  ).toBeUndefined();
  expect(run.results.length, report(run)).toBe(steps.length);
  expect(run.leftovers, `processes left behind:\n${run.leftovers.join('\n')}`).toEqual([]);
}

describe('docs/subscriptions-as-code.md', () => {
  it('has shell blocks to run, a subscriptions file and a workflow', () => {
    expect(sections).toContain('Try it offline');
    expect(yamlBlocks.some((b) => /^subscriptions:/m.test(b.code))).toBe(true);
    expect(yamlBlocks.some((b) => /^jobs:/m.test(b.code))).toBe(true);
  });

  for (const section of sections) {
    it(`runs the shell blocks of "${section}" as pasted`, { timeout: 200_000 }, async () => {
      const code = shell
        .filter((b) => b.section === section)
        .map((b) => `# line ${b.line}\n${b.code}`)
        .join('\n');
      const steps = [{ name: section, code }];
      const run = await runSteps(steps, { timeoutMs: 180_000 });
      expectClean(run, steps);
      // The emulator runs in the background of the same shell: its request log lines land between the commands'
      // lines wherever they happen to be written.
      const out = run.results[0]!.output.replace(/^Emulator: .*\n/gm, '');
      if (section === 'Try it offline') {
        expect(out).toMatch(/Plan: 2 to create, 0 to update, 0 to replace, 0 to delete\.\nplan exit 2/);
        expect(out).toMatch(/± replace +failures/);
        expect(out).toMatch(/new subscription, new secret — receivers must switch/);
        expect(out.match(/No changes/g)?.length).toBeGreaterThanOrEqual(3);
      }
    });
  }

  it('every YAML block parses, and the subscriptions file loads for both profiles', () => {
    for (const b of yamlBlocks) expect(() => parse(b.code), `line ${b.line}`).not.toThrow();
    const file = yamlBlocks.find((b) => /^subscriptions:/m.test(b.code))!;
    const env = { APP_URL: 'https://example.com' };
    const production = parseSubscriptionsFile(file.code, { path: 'docs', profile: 'production', env });
    const staging = parseSubscriptionsFile(file.code, { path: 'docs', profile: 'staging', env });
    expect(production.subscriptions.map((s) => s.name)).toEqual(['blog-cards', 'failures', 'binding-sync']);
    expect(production.subscriptions[0]!.url).toBe('https://example.com/webhooks/pictify');
    expect(staging.subscriptions[0]!.url).toBe('https://staging.example.com/webhooks/pictify');
  });

  it(
    'runs the GitHub Actions recipe: plan (summary, exit 2 passes), then apply on main',
    { timeout: 200_000 },
    async () => {
      const workflow = yamlBlocks.find((b) => /^jobs:/m.test(b.code))!;
      const parsed = parse(workflow.code) as { on: Record<string, unknown>; jobs: Record<string, { if: string }> };
      expect(Object.keys(parsed.on)).toEqual(['pull_request', 'push']);
      expect(Object.keys(parsed.jobs)).toEqual(['plan', 'apply']);
      const file = yamlBlocks.find((b) => /^subscriptions:/m.test(b.code))!;
      // What GitHub would provide: secrets (here the emulator's key), a summary file, and gh.
      const github = (env: Record<string, string>) =>
        Object.fromEntries(
          Object.entries(env).map(([k, v]) => [
            k,
            v.includes('${{') ? (k === 'PICTIFY_API_KEY' ? 'pk_test_ci' : 'x') : v,
          ]),
        );
      const jobSteps = workflowSteps(workflow.code).map((s) => ({
        name: s.name,
        code: s.run,
        env: { ...github(s.env), GITHUB_STEP_SUMMARY: 'summary.md' },
        raw: true,
      }));
      expect(jobSteps.map((s) => s.name)).toEqual(['npm ci', 'plan', 'npm ci', 'apply', 'hand new secrets to the app']);
      const steps: Step[] = [
        {
          name: 'the repository and the API (emulator, gh stand-in)',
          raw: true,
          code: [
            `cat > pictify-hooks.yaml <<'__FILE__'\n${file.code}__FILE__`,
            'pictify-hooks emulator --port 4010 --ready-file emulator.url & echo $! > emulator.pid',
            'for _ in $(seq 100); do [ -s emulator.url ] && break; sleep 0.1; done',
            'pictify-hooks --profile production config set base-url "$(cat emulator.url)"',
            `mkdir -p ../bin && printf '#!/bin/sh\\necho "gh $*" >> gh.log; cat "$4" | cut -d= -f1 >> gh.log\\n' > ../bin/gh && chmod +x ../bin/gh`,
          ].join('\n'),
        },
        ...jobSteps,
        {
          name: 'what the jobs left',
          raw: true,
          code: 'cat summary.md gh.log; test ! -e new-secrets.env; kill "$(cat emulator.pid)"\n',
        },
      ];
      const run = await runSteps(steps, { timeoutMs: 180_000 });
      expectClean(run, steps);
      const left = run.results.at(-1)!.output;
      expect(left).toMatch(
        /### Pictify subscriptions\n```\n.*for profile "production": 3 subscriptions in the file, 0 live\./,
      );
      expect(left).toMatch(/Plan: 3 to create, 0 to update, 0 to replace, 0 to delete\./);
      expect(left).toContain('gh secret set --env-file new-secrets.env');
      expect(left).toMatch(
        /PICTIFY_WEBHOOK_SECRET_BLOG_CARDS\nPICTIFY_WEBHOOK_SECRET_FAILURES\nPICTIFY_WEBHOOK_SECRET_BINDING_SYNC/,
      );
      expect(readFileSync(PAGE, 'utf8')).toContain('concurrency: pictify-subscriptions');
    },
  );
});
