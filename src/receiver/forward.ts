// Forwards a verified delivery to the developer's app with the raw body byte for byte and the original
// X-Pictify-* and content headers, so the app's own verification passes; the app's answer is relayed to the sender
// (unreachable → 502, too slow → 504) so the sender retries what the app did not take.
import type { Dispatcher } from 'undici';
import { createDeliveryAgent, postDelivery } from '../outbound/post.js';
import type { ForwardRecord } from '../store/event-store-record.js';
import type { Answer, HeaderMap } from './types.js';

const FORWARDED_HEADERS = new Set(['content-type', 'content-encoding', 'user-agent']);
const MAX_RELAYED_BODY = 1024 * 1024;
/** How much of the app's answer the store keeps for the inspector. */
const STORED_ANSWER_BYTES = 4096;

export function forwardHeaders(headers: HeaderMap): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in headers) {
    if (FORWARDED_HEADERS.has(name) || name.startsWith('x-pictify-')) {
      const v = headers[name];
      if (v !== undefined) out[name] = typeof v === 'string' ? v : v.join(', ');
    }
  }
  return out;
}

function firstBytes(text: string, max: number): string {
  // Most answers are short: only measure bytes when the text could be longer than the cut.
  if (text.length * 3 <= max) return text;
  const bytes = Buffer.from(text, 'utf8');
  return bytes.length <= max ? text : bytes.subarray(0, max).toString('utf8');
}

export interface ForwardResult {
  answer: Answer;
  record: ForwardRecord;
}

export class Forwarder {
  readonly #timeoutMs: number;
  #agent: Promise<Dispatcher> | undefined;

  constructor(options: { timeoutMs: number }) {
    this.#timeoutMs = options.timeoutMs;
  }

  async send(url: string, headers: HeaderMap, body: Buffer): Promise<ForwardResult> {
    this.#agent ??= createDeliveryAgent({ connections: 64, timeoutMs: this.#timeoutMs });
    const dispatcher = await this.#agent;
    const result = await postDelivery(
      url,
      { body, headers: forwardHeaders(headers) },
      {
        timeoutMs: this.#timeoutMs,
        dispatcher,
        maxBodyBytes: MAX_RELAYED_BODY,
      },
    );
    const latencyMs = Math.round(result.latencyMs * 10) / 10;
    if (result.error || result.status === undefined) {
      const timeout = result.error?.kind === 'timeout';
      const message = result.error?.message ?? 'no answer';
      return {
        answer: {
          status: timeout ? 504 : 502,
          body: JSON.stringify({ error: timeout ? 'forward_timeout' : 'forward_failed', message }),
        },
        record: { url, latencyMs, error: message },
      };
    }
    const answer: Answer = { status: result.status, body: result.body };
    const contentType = result.headers['content-type'];
    if (contentType) answer.headers = { 'content-type': contentType };
    const record: ForwardRecord = { url, status: result.status, latencyMs };
    if (result.body !== '') record.answer = firstBytes(result.body, STORED_ANSWER_BYTES);
    return { answer, record };
  }

  async close(): Promise<void> {
    if (!this.#agent) return;
    const agent = await this.#agent;
    this.#agent = undefined;
    await agent.close();
  }
}
