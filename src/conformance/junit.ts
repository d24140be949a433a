// JUnit XML, the report format CI systems (GitLab, Jenkins, GitHub test reporters) display: one testsuite, one
// testcase per check case, the fix hint as the failure message.
import type { CaseResult } from './grade.js';
import type { SuiteReport } from './suite.js';

// XML 1.0 forbids most control characters even when escaped; a receiver's error text may contain them.

const INVALID_XML_CHARS =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function escapeXml(text: string): string {
  return (
    text
      .replace(INVALID_XML_CHARS, '\uFFFD')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
      // Attribute values normalise raw whitespace to spaces; keep newlines and tabs as written.
      .replace(/\n/g, '&#10;')
      .replace(/\r/g, '&#13;')
      .replace(/\t/g, '&#9;')
  );
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

export interface JUnitInput {
  url: string;
  /** ISO 8601 time the run started. */
  timestamp: string;
  report: SuiteReport;
}

function testcase(result: CaseResult): string {
  const open = `    <testcase classname="pictify-hooks.check" name="${escapeXml(result.name)}" time="${seconds(result.latencyMs)}"`;
  if (result.pass) return `${open}/>`;
  const message = result.hint ?? `expected ${result.expected}, got ${result.got}`;
  const details = `case ${result.id}: expected ${result.expected}, got ${result.got}${result.error ? ` (${result.error})` : ''}`;
  return [
    `${open}>`,
    `      <failure message="${escapeXml(message)}" type="${escapeXml(result.id)}">${escapeXml(details)}</failure>`,
    '    </testcase>',
  ].join('\n');
}

export function toJUnitXml({ url, timestamp, report }: JUnitInput): string {
  const counts = `tests="${report.total}" failures="${report.failed}" errors="0" skipped="0" time="${seconds(report.durationMs)}"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="pictify-hooks check" ${counts}>`,
    `  <testsuite name="${escapeXml(`pictify-hooks check ${url}`)}" ${counts} timestamp="${escapeXml(timestamp)}">`,
    ...report.results.map(testcase),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
