import { describe, expect, it } from 'vitest';
import { buildSuite, runSuite, type CaseResult } from '../../../src/conformance/index.js';
import type { SignedRequest } from '../../../src/outbound/build.js';
import type { PostResult } from '../../../src/outbound/post.js';

const cases = () => buildSuite({ events: ['render.completed'], negativeEvent: 'render.completed', secret: 'whsec_s' });

function harness(answer: (request: SignedRequest, index: number) => PostResult) {
  const sent: SignedRequest[] = [];
  const sleeps: number[] = [];
  let clock = 1_800_000_000_000;
  return {
    sent,
    sleeps,
    options: {
      send: async (request: SignedRequest) => {
        sent.push(request);
        const result = answer(request, sent.length - 1);
        clock += result.latencyMs;
        return result;
      },
      now: () => clock,
      sleep: async (ms: number) => {
        sleeps.push(ms);
        clock += ms;
      },
    },
  };
}

// Answers like a correct receiver would, judged from the case order: valid, rotation and duplicates succeed.
const byExpectation = (latencyMs = 3) => {
  const ok = new Set([0, 12, 13, 14]);
  return (_r: SignedRequest, i: number): PostResult => ({
    status: ok.has(i) ? 200 : 401,
    latencyMs,
    body: '',
    headers: {},
  });
};

describe('runSuite', () => {
  it('sends one request at a time with the gap between them, and reports each result as it comes', async () => {
    const h = harness(byExpectation());
    const seen: CaseResult[] = [];
    const report = await runSuite({ cases: cases(), ...h.options, gapMs: 30, onResult: (r) => seen.push(r) });
    expect(h.sent).toHaveLength(15);
    expect(h.sleeps).toEqual(Array(14).fill(30));
    expect(report).toMatchObject({ total: 15, passed: 15, failed: 0, ok: true });
    expect(seen.map((r) => r.id)).toEqual(report.results.map((r) => r.id));
    expect(report.results.at(-1)).toMatchObject({
      id: 'slow-answer',
      pass: true,
      got: 'slowest 3 ms (valid: render.completed)',
      expected: '2xx within 10 s',
    });
    expect(report.durationMs).toBe(15 * 3 + 14 * 30);
  });

  it('flags a valid delivery slower than the limit', async () => {
    const h = harness(byExpectation(12_500));
    const report = await runSuite({ cases: cases(), ...h.options, gapMs: 0 });
    const slow = report.results.find((r) => r.id === 'slow-answer');
    expect(slow).toMatchObject({ pass: false, got: 'slowest 12.5 s (valid: render.completed)' });
    expect(slow?.hint).toBe(
      'your receiver took 12.5 s to answer a valid delivery: answer 2xx within 10 s and do the work afterwards (Pictify gives up at 30 s)',
    );
    expect(report).toMatchObject({ ok: false, failed: 1 });
    expect(h.sleeps).toEqual([]);
  });

  it('uses the configured slow limit', async () => {
    const h = harness(byExpectation(80));
    const report = await runSuite({ cases: cases(), ...h.options, gapMs: 0, slowMs: 50 });
    expect(report.results.find((r) => r.id === 'slow-answer')).toMatchObject({
      pass: false,
      expected: '2xx within 50 ms',
    });
  });

  it('stops sending once the receiver is unreachable and marks the rest not sent', async () => {
    const h = harness(() => ({
      latencyMs: 1,
      body: '',
      headers: {},
      error: { kind: 'refused', message: 'connection refused by h:1: is the receiver running?' },
    }));
    const report = await runSuite({ cases: cases(), ...h.options });
    expect(h.sent).toHaveLength(1);
    expect(report.results[0]).toMatchObject({ got: 'error: refused', pass: false });
    expect(
      report.results
        .slice(1)
        .every((r) => !r.pass && r.hint === 'not sent: connection refused by h:1: is the receiver running?'),
    ).toBe(true);
    expect(report).toMatchObject({ passed: 0, failed: 15 });
  });

  it('keeps going after a timeout, which counts as the slowest answer', async () => {
    const h = harness((_r, i) =>
      i === 0
        ? { latencyMs: 30_000, body: '', headers: {}, error: { kind: 'timeout', message: 'no answer within 30000 ms' } }
        : byExpectation()(_r, i),
    );
    const report = await runSuite({ cases: cases(), ...h.options, gapMs: 0 });
    expect(h.sent).toHaveLength(15);
    expect(report.results.filter((r) => !r.pass).map((r) => r.id)).toEqual(['valid:render.completed', 'slow-answer']);
  });
});
