// Reads the fenced code blocks of a Markdown file with the headings they sit under, so the docs tests can run
// exactly what a reader would copy. Shared by readme.test.ts (shell blocks, the CI recipe) and library.test.ts.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const README = fileURLToPath(new URL('../../README.md', import.meta.url));

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
      if (i >= lines.length) throw new Error(`README line ${start + 1}: code fence never closed`);
      blocks.push({
        lang: fence[2]!.toLowerCase(),
        code: `${body.join('\n')}\n`,
        line: start + 1,
        section,
        subsection,
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

/**
 * The `run:` steps of the README's CI recipe, in order. A small reader for the YAML subset GitHub workflows use
 * in docs (block scalars `|`, flow maps `{ a: b }`, `env:` maps) — enough to run the recipe, and it fails loudly
 * on anything it does not understand rather than skipping a step.
 */
export function workflowSteps(yaml: string): WorkflowStep[] {
  const lines = yaml.split('\n');
  const indentOf = (l: string) => l.length - l.trimStart().length;
  const unquote = (v: string) => v.trim().replace(/^(['"])(.*)\1$/, '$2');
  const readMap = (start: number, parentIndent: number): [Record<string, string>, number] => {
    const map: Record<string, string> = {};
    let i = start;
    for (; i < lines.length; i++) {
      const l = lines[i]!;
      if (!l.trim() || l.trim().startsWith('#')) continue;
      if (indentOf(l) <= parentIndent) break;
      const m = /^\s*([\w-]+):\s*(.*)$/.exec(l);
      if (!m) throw new Error(`CI recipe: cannot read env line "${l.trim()}"`);
      map[m[1]!] = unquote(m[2]!.replace(/\s+#.*$/, ''));
    }
    return [map, i];
  };

  let jobEnv: Record<string, string> = {};
  const steps: Array<{ name: string; run?: string; env: Record<string, string>; uses?: string }> = [];
  let current: (typeof steps)[number] | undefined;
  let stepIndent = -1;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (!l.trim() || l.trim().startsWith('#')) continue;
    const indent = indentOf(l);
    const dash = /^(\s*)-\s+(.*)$/.exec(l);
    if (dash && (stepIndent === -1 || dash[1]!.length === stepIndent) && /^(name|uses|run):/.test(dash[2]!)) {
      stepIndent = dash[1]!.length;
      current = { name: '', env: {} };
      steps.push(current);
      lines[i] = `${' '.repeat(stepIndent + 2)}${dash[2]}`;
      i--;
      continue;
    }
    if (current && indent > stepIndent && stepIndent >= 0) {
      const m = /^\s*([\w-]+):\s*(.*)$/.exec(l)!;
      if (!m) throw new Error(`CI recipe: cannot read "${l.trim()}"`);
      const [, key, value] = m as unknown as [string, string, string];
      if (key === 'run') {
        if (value.trim() === '|') {
          const body: string[] = [];
          let j = i + 1;
          const blockIndent = indentOf(lines[j] ?? '');
          for (; j < lines.length && (lines[j]!.trim() === '' || indentOf(lines[j]!) >= blockIndent); j++)
            body.push(lines[j]!.slice(blockIndent));
          current.run = `${body.join('\n').trimEnd()}\n`;
          i = j - 1;
        } else current.run = `${value}\n`;
      } else if (key === 'env') {
        const [map, next] = readMap(i + 1, indent);
        current.env = map;
        i = next - 1;
      } else if (key === 'name') current.name = unquote(value);
      else if (key === 'uses') current.uses = unquote(value);
      else if (key === 'with') {
        if (!value.trim()) i = readMap(i + 1, indent)[1] - 1;
      } else throw new Error(`CI recipe: unknown step key "${key}"`);
      continue;
    }
    current = undefined;
    if (/^\s*env:\s*$/.test(l)) {
      const [map, next] = readMap(i + 1, indent);
      jobEnv = { ...jobEnv, ...map };
      i = next - 1;
    }
  }
  return steps
    .filter((s) => s.run !== undefined)
    .map((s) => ({ name: s.name || s.run!.split('\n')[0]!, run: s.run!, env: { ...jobEnv, ...s.env } }));
}
