// Reads the fenced code blocks of a Markdown file with the headings they sit under, so the docs tests can run
// exactly what a reader would copy. Shared by pages.test.ts (shell blocks, the CI recipe) and library.test.ts.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const README = join(ROOT, 'README.md');

/** The pages whose shell blocks the docs test runs: the README and every page in docs/. */
export function docPages(): string[] {
  const docs = readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => join(ROOT, 'docs', f));
  return [README, ...docs];
}

/** A page's path as a reader sees it in the repository: `README.md`, `docs/ci.md`. */
export function pageName(file: string): string {
  return relative(ROOT, file);
}

export interface Block {
  /** The fence's language (`sh`, `yaml`, `js`, …), lower-case; '' when none. */
  lang: string;
  code: string;
  /** 1-based line of the opening fence, for failure messages. */
  line: number;
  /** The enclosing `##` heading ('' before the first one). */
  section: string;
  /** The enclosing `###` heading under that section ('' when none). */
  subsection: string;
  /** Set by a `<!-- docs: file app.mjs -->` line just before the fence: the reader saves the block as that file. */
  file?: string;
}

export function extractBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split('\n');
  let section = '';
  let subsection = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = /^(`{3,}|~{3,})\s*([\w+-]*)/.exec(line);
    if (fence) {
      const close = new RegExp(`^${fence[1]![0]}{${fence[1]!.length},}\\s*$`);
      const start = i;
      const body: string[] = [];
      for (i++; i < lines.length && !close.test(lines[i]!); i++) body.push(lines[i]!);
      if (i >= lines.length) throw new Error(`line ${start + 1}: code fence never closed`);
      const marker = /^<!-- docs: file (\S+) -->$/.exec(lines[start - 1] ?? '');
      blocks.push({
        lang: fence[2]!.toLowerCase(),
        code: `${body.join('\n')}\n`,
        line: start + 1,
        section,
        subsection,
        ...(marker ? { file: marker[1]! } : {}),
      });
      continue;
    }
    const heading = /^(#{2,3})\s+(.*?)\s*$/.exec(line);
    if (heading?.[1] === '##') [section, subsection] = [heading[2]!, ''];
    else if (heading?.[1] === '###') subsection = heading[2]!;
  }
  return blocks;
}

export function readmeBlocks(file = README): Block[] {
  return extractBlocks(readFileSync(file, 'utf8'));
}

export const SHELL_LANGS = new Set(['sh', 'bash', 'shell', 'console', 'zsh']);

/** One `run:` step of a GitHub Actions job, with the env that applies to it (job env, then step env). */
export interface WorkflowStep {
  name: string;
  run: string;
  env: Record<string, string>;
}

interface Workflow {
  jobs?: Record<
    string,
    { env?: Record<string, string>; steps?: Array<{ name?: string; run?: string; env?: Record<string, string> }> }
  >;
}

/** The `run:` steps of a workflow's jobs, in order; `uses:` steps (checkout, setup-node) are what the harness is. */
export function workflowSteps(text: string): WorkflowStep[] {
  const workflow = parse(text) as Workflow;
  const steps: WorkflowStep[] = [];
  for (const job of Object.values(workflow.jobs ?? {}))
    for (const step of job.steps ?? [])
      if (step.run !== undefined)
        steps.push({
          name: step.name ?? step.run.split('\n')[0]!,
          run: step.run.endsWith('\n') ? step.run : `${step.run}\n`,
          env: Object.fromEntries(Object.entries({ ...job.env, ...step.env }).map(([k, v]) => [k, String(v)])),
        });
  return steps;
}
