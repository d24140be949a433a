// Turns the answers to one case into a verdict: pass/fail, what we got, and a fix hint on failure.
import type { PostResult } from '../outbound/post.js';
import type { CaseDefinition } from './cases.js';
import { acceptedHint, crashedHint, refusedHint, unexpectedStatusHint } from './hints.js';
import { truncate } from '../output/table.js';

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
  /** The receiver's answer (first line, cut short) when it failed with a 5xx: often it names its own fault. */
  answer?: string;
  /** What a pass cannot show (two 2xx answers say nothing about whether the work ran twice). */
  note?: string;
}

const DUPLICATE_NOTE =
  'two 2xx answers cannot show whether the receiver processed the delivery twice: skip work already done for its X-Pictify-Delivery-Id';

function statusClass(status: number): string {
  return `${Math.floor(status / 100)}xx`;
}

/** Characters of a failing answer kept: enough for an adapter's message to reach the fix it names. */
const ANSWER_CHARS = 300;

const ENTITIES: Record<string, string> = { nbsp: ' ', lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' };

/**
 * The first line of an answer as a person reads it. An HTML error page (Express's default one puts the error in a
 * <pre>, its stack after <br>s) is read as its text, not its markup: quoting "<!DOCTYPE html>" says nothing.
 */
export function answerLine(body: string): string | undefined {
  let text = body.trim();
  if (/^<(!doctype|html|head|body|pre|h1|p|div)\b/i.test(text)) {
    const inner = /<pre\b[^>]*>([\s\S]*?)<\/pre>/i.exec(text) ?? /<body\b[^>]*>([\s\S]*?)<\/body>/i.exec(text);
    text = (inner?.[1] ?? text)
      .replace(/<br\s*\/?>/gi, '\n')
      .replace(/<[^>]*>/g, ' ')
      .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
        if (name[0] !== '#') return ENTITIES[name.toLowerCase()] ?? whole;
        const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
      });
  }
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .find((line) => line !== '');
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
    const said = status >= 500 ? answerLine(answer.body) : undefined;
    return { ...base, pass: false, hint, ...(said && { answer: truncate(said, ANSWER_CHARS) }) };
  }
  return { ...base, pass: true, ...(definition.id === 'duplicate-delivery' && { note: DUPLICATE_NOTE }) };
}
