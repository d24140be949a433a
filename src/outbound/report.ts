// How send reports what happened: one outcome per delivery (line or NDJSON object) and the load-mode summary.
import type { Style } from '../output/style.js';
import { symbols } from '../output/style.js';
import { truncate } from '../output/table.js';
import type { LoadResult } from './load.js';
import { formatMs } from '../output/duration.js';
import type { ExpectedStatus } from './options.js';
import type { NetworkFailure, PostResult } from './post.js';

/** Response bodies are read up to this many bytes; shown shorter still. */
export const RESPONSE_BODY_LIMIT = 64 * 1024;
const SHOWN_BODY_CHARS = 200;

export interface SendOutcome {
  event: string | null;
  url: string;
  deliveryId: string;
  /** Signature timestamp, unix seconds. */
  timestamp: number;
  status: number | null;
  /** Whether the answer met --expect. */
  ok: boolean;
  expected: string;
  latencyMs: number;
  /** Response body, truncated. */
  body: string;
  error?: { kind: NetworkFailure; message: string };
}

export function toOutcome(input: {
  event: string | undefined;
  deliveryId: string;
  timestamp: number;
  url: URL;
  expect: ExpectedStatus;
  result: PostResult;
}): SendOutcome {
  const { result } = input;
  const outcome: SendOutcome = {
    event: input.event ?? null,
    url: input.url.href,
    deliveryId: input.deliveryId,
    timestamp: input.timestamp,
    status: result.status ?? null,
    ok: result.status !== undefined && input.expect.matches(result.status),
    expected: input.expect.text,
    latencyMs: Math.round(result.latencyMs * 10) / 10,
    body: truncate(result.body, 2000),
  };
  if (result.error) outcome.error = result.error;
  return outcome;
}

/** `✓ 200  render.completed  12 ms  del_…` and the body, indented, on one line. */
export function formatOutcome(outcome: SendOutcome, s: Style): string[] {
  const mark = outcome.ok ? s.green(symbols.ok) : s.red(symbols.fail);
  const status = outcome.ok ? s.green(String(outcome.status)) : s.red(String(outcome.status));
  const miss = outcome.ok ? '' : s.red(`  (expected ${outcome.expected})`);
  const lines = [
    `${mark} ${status}  ${outcome.event ?? 'payload'}  ${formatMs(outcome.latencyMs)}  ` +
      `${s.dim(outcome.deliveryId)}${miss}`,
  ];
  const body = outcome.body.replace(/\s*[\r\n]+\s*/g, ' ').trim();
  if (body !== '') lines.push(`  ${s.dim(truncate(body, SHOWN_BODY_CHARS))}`);
  return lines;
}

export function networkHint(kind: NetworkFailure): string | undefined {
  switch (kind) {
    case 'refused':
      return 'start the receiver (e.g. `pictify-hooks listen`) or fix --url';
    case 'dns':
      return 'check the host name in the url';
    case 'timeout':
      return 'the receiver must answer within the timeout (Pictify waits 30 s); raise --timeout to wait longer';
    case 'tls':
      return 'check the certificate of the receiver, or use http:// for a local one';
    default:
      return undefined;
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

export function loadSummaryJson(result: LoadResult, url: URL, expect: ExpectedStatus): Record<string, unknown> {
  const l = result.latencyMs;
  return {
    url: url.href,
    requested: result.requested,
    sent: result.sent,
    ok: result.ok,
    failed: result.failed,
    expected: expect.text,
    statuses: result.statuses,
    errors: result.errors,
    durationMs: round(result.durationMs),
    perSecond: Math.round(result.perSecond * 10) / 10,
    latencyMs: {
      min: round(l.min),
      mean: round(l.mean),
      p50: round(l.p50),
      p95: round(l.p95),
      p99: round(l.p99),
      max: round(l.max),
    },
    interrupted: result.interrupted,
  };
}

export function formatLoadSummary(result: LoadResult, url: URL, expect: ExpectedStatus, s: Style): string[] {
  const l = result.latencyMs;
  const mark = result.failed === 0 ? s.green(symbols.ok) : s.red(symbols.fail);
  const lines = [
    `${mark} sent ${result.sent} of ${result.requested} deliveries to ${url.href} in ${formatMs(result.durationMs)} ` +
      `(${Math.round(result.perSecond)} deliveries/s)`,
    `  ok (${expect.text}): ${result.ok}   failed: ${result.failed}`,
  ];
  const statuses = Object.entries(result.statuses);
  if (statuses.length > 0) lines.push(`  status: ${statuses.map(([code, n]) => `${code} × ${n}`).join(', ')}`);
  const errors = Object.entries(result.errors) as Array<[NetworkFailure, number]>;
  if (errors.length > 0) {
    lines.push(`  errors: ${errors.map(([kind, n]) => `${kind} × ${n}`).join(', ')}`);
    for (const [kind] of errors) lines.push(`    ${kind}: ${result.errorMessages[kind]}`);
  }
  if (l.count > 0) {
    lines.push(
      `  latency: p50 ${formatMs(l.p50)} · p95 ${formatMs(l.p95)} · p99 ${formatMs(l.p99)} · max ${formatMs(l.max)}`,
    );
  }
  if (result.interrupted) lines.push(s.yellow('  interrupted: the rest were not sent'));
  return lines;
}
