// Turns the answers to one case into a verdict: pass/fail, what we got, and a fix hint on failure.
import type { PostResult } from '../outbound/post.js';
import type { CaseDefinition } from './cases.js';
import { acceptedHint, crashedHint, refusedHint, unexpectedStatusHint } from './hints.js';

export interface CaseResult {
  id: string;
  name: string;
  expected: string;
  got: string;
  pass: boolean;
  /** The fix, on failure only. */
  hint?: string;
  /** One status per request sent (null: no answer). */
  statuses: (number | null)[];
  /** Total time of the case's requests. */
  latencyMs: number;
  /** The network failure, when a request got no answer. */
  error?: string;
}

function statusClass(status: number): string {
  return `${Math.floor(status / 100)}xx`;
}

export function gradeCase(definition: CaseDefinition, answers: PostResult[]): CaseResult {
  const statuses = answers.map((a) => a.status ?? null);
  const latencyMs = answers.reduce((sum, a) => sum + a.latencyMs, 0);
  const expected = answers.length > 1 ? answers.map(() => definition.expected).join(', ') : definition.expected;
  const got = answers.map((a) => (a.error ? `error: ${a.error.kind}` : String(a.status))).join(', ');
  const base = { id: definition.id, name: definition.name, expected, got, statuses, latencyMs };

  for (const [index, answer] of answers.entries()) {
    if (answer.error) {
      return { ...base, pass: false, error: answer.error.message, hint: `no answer: ${answer.error.message}` };
    }
    const status = answer.status as number;
    if (statusClass(status) === definition.expected) continue;
    const expectsSuccess = definition.expected === '2xx';
    let hint: string;
    if (status >= 500) hint = crashedHint(definition.id, definition.sent, status, expectsSuccess);
    // Only a refused second copy is a duplicate problem; a refused first copy is a plain verification failure.
    else if (expectsSuccess && status >= 400)
      hint = refusedHint(definition.id === 'duplicate-delivery' && index === 0 ? 'valid' : definition.id);
    else if (!expectsSuccess && status >= 200 && status < 300) hint = acceptedHint(definition.id, definition.sent);
    else hint = unexpectedStatusHint(definition.expected, status);
    return { ...base, pass: false, hint };
  }
  return { ...base, pass: true };
}
