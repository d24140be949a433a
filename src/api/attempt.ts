// One attempt at one URL: global fetch (msw sees it) with our undici Agent as dispatcher, the per-attempt timeout,
// no automatic redirects, and the whole body read. Network failures come back as data for the retry policy.

import { anySignal } from './abort.js';
import type { AgentLoader } from './agent.js';
import { classifyNetworkError, type NetworkFailure } from './network.js';

export type Outcome =
  | { kind: 'response'; status: number; statusText: string; headers: Headers; text: string }
  | { kind: 'network'; failure: NetworkFailure; error: unknown };

export interface Attempter {
  (url: URL, init: RequestInit, userSignal: AbortSignal | undefined): Promise<Outcome>;
}

export function createAttempter(options: { doFetch: typeof fetch; agent: AgentLoader; timeoutMs: number }): Attempter {
  const { doFetch, agent, timeoutMs } = options;
  return async (url, init, userSignal) => {
    // Belt and braces with the Agent's own timeouts: this one also bounds injected fetchImpls and msw.
    const timeoutSignal = AbortSignal.timeout(timeoutMs);
    const signal = userSignal ? anySignal(userSignal, timeoutSignal) : timeoutSignal;
    // DOM RequestInit has no `dispatcher`; Node's fetch (undici) reads it, other fetches ignore it.
    const dispatcher = await agent.get();
    try {
      const res = await doFetch(url, { ...init, redirect: 'manual', signal, dispatcher } as RequestInit);
      // Reading the body is part of the attempt: a reset mid-body is as retryable as one before headers.
      const text = await res.text();
      return { kind: 'response', status: res.status, statusText: res.statusText, headers: res.headers, text };
    } catch (error) {
      // The caller's abort is final and keeps the caller's reason (e.g. an InterruptedError on SIGINT).
      if (userSignal?.aborted) throw userSignal.reason;
      const failure: NetworkFailure | undefined = timeoutSignal.aborted
        ? { kind: 'timeout', retryable: true, detail: `timed out after ${timeoutMs} ms` }
        : classifyNetworkError(error);
      if (!failure) throw error;
      return { kind: 'network', failure, error };
    }
  };
}
