// Runs the suite against one receiver over one connection: what `check` and the MCP server's check_receiver share.
// `signal` stops it between requests (Ctrl-C, a cancelled tool call); the caller says what an abort means.
import { createDeliveryAgent, postDelivery } from '../outbound/post.js';
import type { CaseDefinition } from './cases.js';
import { runSuite, type SuiteReport } from './suite.js';

export interface CheckReceiverOptions {
  url: URL;
  cases: CaseDefinition[];
  timeoutMs: number;
  now(): number;
  gapMs?: number;
  slowMs?: number;
  signal?: AbortSignal;
}

export interface CheckReceiverResult {
  report: SuiteReport;
  /** Cases that got any HTTP answer: none at all means the receiver is down, not twenty failed cases. */
  answered: number;
  /** The first transport error. */
  firstFailure?: { kind: string; message: string };
}

/** Rejects with the abort's reason when `signal` fires; the report otherwise. */
export async function checkReceiver(options: CheckReceiverOptions): Promise<CheckReceiverResult> {
  const { setTimeout: sleep } = await import('node:timers/promises');
  const signal = options.signal ?? new AbortController().signal;
  const agent = await createDeliveryAgent({ connections: 1, timeoutMs: options.timeoutMs });
  let answered = 0;
  let firstFailure: CheckReceiverResult['firstFailure'];
  try {
    const report = await runSuite({
      cases: options.cases,
      now: options.now,
      sleep: (ms) => sleep(ms, undefined, { signal }),
      gapMs: options.gapMs,
      slowMs: options.slowMs,
      send: async (request) => {
        const answer = await postDelivery(options.url, request, {
          timeoutMs: options.timeoutMs,
          dispatcher: agent,
          maxBodyBytes: 4096,
          signal,
        });
        signal.throwIfAborted();
        if (answer.status !== undefined) answered += 1;
        else firstFailure ??= answer.error;
        return answer;
      },
    });
    return { report, answered, firstFailure };
  } finally {
    await agent.close();
  }
}
