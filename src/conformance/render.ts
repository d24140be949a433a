// The human report: a table of cases, one fix per failure, a score line.
import { renderTable } from '../output/table.js';
import { symbols, type Style } from '../output/style.js';
import type { SuiteReport } from './suite.js';

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
    for (const f of failures)
      lines.push(`  ${style.red(symbols.fail)} ${f.name}: ${f.hint ?? `expected ${f.expected}, got ${f.got}`}`);
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
