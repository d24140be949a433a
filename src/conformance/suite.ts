// Runs the cases one request at a time, with a short gap so a small receiver is never flooded, and adds the
// computed slow-answer row. Sending, the clock and sleeping are injected: the runner itself does no I/O.
import type { SignedRequest } from '../outbound/build.js';
import type { PostResult } from '../outbound/post.js';
import { SLOW_CASE_ID, type CaseDefinition } from './cases.js';
import { gradeCase, type CaseResult } from './grade.js';
import { slowHint } from './hints.js';
import { formatMs } from '../output/duration.js';

export const DEFAULT_GAP_MS = 25;
/** Pictify gives up at 30 s; a third of that leaves room for a slow day. */
export const DEFAULT_SLOW_MS = 10_000;

export interface RunSuiteOptions {
  cases: CaseDefinition[];
  send(request: SignedRequest): Promise<PostResult>;
  now(): number;
  sleep(ms: number): Promise<void>;
  gapMs?: number;
  slowMs?: number;
  onResult?(result: CaseResult): void;
}

export interface SuiteReport {
  total: number;
  passed: number;
  failed: number;
  ok: boolean;
  durationMs: number;
  results: CaseResult[];
}

/** Failures that every later case would hit the same way; sending more only repeats them. */
const UNREACHABLE = new Set(['refused', 'dns', 'tls']);

export async function runSuite(options: RunSuiteOptions): Promise<SuiteReport> {
  const slowMs = options.slowMs ?? DEFAULT_SLOW_MS;
  const started = options.now();
  const results: CaseResult[] = [];
  const run: RunState = { sent: 0, slowest: undefined };
  let unreachable: string | undefined;
  const record = (result: CaseResult) => {
    results.push(result);
    options.onResult?.(result);
  };

  for (const definition of options.cases) {
    if (unreachable) {
      record(notSent(definition, unreachable));
      continue;
    }
    const answers = await sendCase(definition, options, run);
    const failure = answers.find((a) => a.error)?.error;
    if (failure && UNREACHABLE.has(failure.kind)) unreachable = failure.message;
    record(gradeCase(definition, answers));
  }

  record(slowRow(run.slowest, slowMs, unreachable));
  const passed = results.filter((r) => r.pass).length;
  return {
    total: results.length,
    passed,
    failed: results.length - passed,
    ok: passed === results.length,
    durationMs: options.now() - started,
    results,
  };
}

/** What carries over from case to case: how many requests went out, and the slowest answer to a valid one. */
interface RunState {
  sent: number;
  slowest: { ms: number; name: string } | undefined;
}

/** A case's requests, a gap before each but the run's first; stops at the first network error. */
async function sendCase(definition: CaseDefinition, options: RunSuiteOptions, run: RunState): Promise<PostResult[]> {
  const gapMs = options.gapMs ?? DEFAULT_GAP_MS;
  const answers: PostResult[] = [];
  for (const request of definition.build(options.now())) {
    if (run.sent > 0 && gapMs > 0) await options.sleep(gapMs);
    run.sent += 1;
    const answer = await options.send(request);
    answers.push(answer);
    // A timeout is the slowest answer of all; other network errors say nothing about speed.
    const timed = !answer.error || answer.error.kind === 'timeout';
    if (definition.valid && timed && (!run.slowest || answer.latencyMs > run.slowest.ms)) {
      run.slowest = { ms: answer.latencyMs, name: definition.name };
    }
    if (answer.error) break;
  }
  return answers;
}

/** The row of a case skipped because the receiver could not be reached at all. */
function notSent(definition: CaseDefinition, unreachable: string): CaseResult {
  return {
    id: definition.id,
    name: definition.name,
    expected: definition.expected,
    got: 'not sent',
    pass: false,
    statuses: [],
    latencyMs: 0,
    error: unreachable,
    hint: `not sent: ${unreachable}`,
  };
}

function slowRow(
  slowest: { ms: number; name: string } | undefined,
  slowMs: number,
  unreachable: string | undefined,
): CaseResult {
  const limit = formatMs(slowMs);
  const base = {
    id: SLOW_CASE_ID,
    name: 'slow answer',
    expected: `2xx within ${limit}`,
    statuses: [],
    latencyMs: slowest?.ms ?? 0,
  };
  if (!slowest) {
    const why = unreachable ? `not sent: ${unreachable}` : 'no valid delivery got an answer';
    return { ...base, got: 'no answer', pass: false, hint: why };
  }
  const got = `slowest ${formatMs(slowest.ms)} (${slowest.name})`;
  if (slowest.ms > slowMs) return { ...base, got, pass: false, hint: slowHint(formatMs(slowest.ms), slowMs / 1000) };
  return { ...base, got, pass: true };
}
