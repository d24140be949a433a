// The human report: a table of cases, one fix per failure, a score line.
import { renderTable } from '../output/table.js';
import { symbols, type Style } from '../output/style.js';
import type { SuiteReport } from './suite.js';
import type { CaseResult } from './grade.js';

export function renderReport(report: SuiteReport, style: Style): string {
  const rows = report.results.map((r) => [
    r.name,
    r.expected,
    r.got,
    r.pass ? style.green(`${symbols.ok} pass`) : style.red(`${symbols.fail} fail`),
  ]);
  const lines = [renderTable(['case', 'expected', 'got', 'result'], rows, { style: style.bold })];
  const failures = report.results.filter((r) => !r.pass);
  if (failures.length > 0) {
    lines.push('', style.bold('How to fix:'));
    // A receiver that answers every case with the same 5xx is broken before it verifies anything: one line that
    // quotes its answer says more than a line per case (the adapters' own messages name the fix).
    const crashed = sameCrash(failures);
    if (crashed) {
      const quote = crashed.answer ? `: "${crashed.answer}"` : '';
      lines.push(
        `  ${style.red(symbols.fail)} ${failures.length} cases: your receiver answered ${crashed.status} to every one of them${quote} — fix that error first, then run check again`,
      );
    } else {
      for (const f of failures)
        lines.push(`  ${style.red(symbols.fail)} ${f.name}: ${f.hint ?? `expected ${f.expected}, got ${f.got}`}`);
    }
  }
  const notes = report.results.filter((r) => r.pass && r.note);
  if (notes.length > 0) {
    lines.push('', style.bold('Not shown by the answers:'));
    for (const n of notes) lines.push(`  ${n.name}: ${n.note}`);
  }
  const score = `score: ${report.passed}/${report.total} cases passed`;
  lines.push(
    '',
    report.ok
      ? style.green(`${score} — the receiver verifies signatures correctly`)
      : style.red(`${score}, ${report.failed} failed`),
  );
  return lines.join('\n');
}

/** The one 5xx status (and answer) every failed case got, when there are several and they all agree. */
function sameCrash(failures: readonly CaseResult[]): { status: number; answer?: string } | undefined {
  if (failures.length < 3) return undefined;
  const statuses = new Set(failures.flatMap((f) => f.statuses));
  const answers = new Set(failures.map((f) => f.answer));
  const [status] = [...statuses];
  if (statuses.size !== 1 || status === null || status < 500 || answers.size !== 1) return undefined;
  return { status, answer: failures[0].answer };
}
