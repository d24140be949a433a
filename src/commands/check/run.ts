// `check <url>`: sends a suite of correctly and incorrectly signed deliveries to a receiver and grades each answer,
// so a CI job can gate on "our webhook endpoint verifies signatures properly". Sends only to the given url.

import type { Context } from '../../cli/context.js';
import { FailureError, InterruptedError, SilentError } from '../../cli/errors.js';
import { EVENT_NAMES } from '../../events/names.js';
import { present } from '../../cli/present.js';
import { printable } from '../../text/printable.js';
import { parseHttpUrl } from '../../cli/flags.js';
import { errStyle } from '../shared/styles.js';
import type { CaseDefinition } from '../../conformance/index.js';
import type { CheckReceiverResult } from '../../conformance/against.js';
import { describeSource, secretLabel } from '../../signing/secret-source.js';
import { resolveDelivery } from '../shared/resolve-secrets.js';
import type { CheckFlags } from './flags.js';

export const DEFAULT_CHECK_TIMEOUT_MS = 30_000;

/** The flags, the url, and (for tests) the latency above which a valid delivery is flagged. */
export type CheckOptions = CheckFlags & { url?: string; slowMs?: number };

export async function run(ctx: Context, options: CheckOptions): Promise<void> {
  const { signing, url } = await resolveDelivery(ctx, {
    ...options,
    url: options.url === undefined ? undefined : parseHttpUrl(options.url, '<url>'),
    urlFlag: '<url>',
  });
  const { buildSuite, renderReport, toJUnitXml } = await import('../../conformance/index.js');

  const events = options.event ? [options.event] : [...EVENT_NAMES];
  const cases = buildSuite({ events, negativeEvent: events[0], secret: signing.secret });
  const timeoutMs = options.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  const startedAt = new Date(ctx.now()).toISOString();
  ctx.err(
    errStyle(ctx).dim(
      printable(`checking ${url.href}: ${cases.length + 1} cases, signed with ${describeSource(signing.source)}`),
    ),
  );

  const { report, answered, firstFailure } = await runCases(ctx, url, cases, {
    timeoutMs,
    gapMs: options.gapMs,
    slowMs: options.slowMs,
  });
  if (options.junit) await writeJUnit(options.junit, toJUnitXml({ url: url.href, timestamp: startedAt, report }));

  // Nothing answered at all (refused, no such host, TLS): that is one fact, not twenty failed cases.
  const down = answered === 0 && firstFailure && ['refused', 'dns', 'tls'].includes(firstFailure.kind);
  // The report carries the receiver's answers and errors: the presenter sanitises them before renderReport styles.
  present(
    ctx,
    { url: url.href, event: options.event ?? null, secretSource: secretLabel(signing.source), ...report },
    (safe, s) => (down ? undefined : renderReport(safe, s)),
  );
  if (down) {
    throw new FailureError(`cannot reach ${url.href}: ${firstFailure!.message}`, {
      hint: 'no case was graded; start your receiver (or fix the url) and run check again',
    });
  }
  if (options.junit) ctx.err(`JUnit report written to ${options.junit}`);
  if (!report.ok) throw new SilentError();
}

/** The suite over one connection; Ctrl-C or SIGTERM stops it as an interruption. */
async function runCases(
  ctx: Context,
  url: URL,
  cases: CaseDefinition[],
  options: { timeoutMs: number; gapMs?: number; slowMs?: number },
): Promise<CheckReceiverResult> {
  const { checkReceiver } = await import('../../conformance/against.js');
  const abort = new AbortController();
  const unsubscribe = [ctx.onSignal('SIGINT', () => abort.abort()), ctx.onSignal('SIGTERM', () => abort.abort())];
  try {
    return await checkReceiver({ url, cases, ...options, now: () => ctx.now(), signal: abort.signal });
  } catch (error) {
    if (abort.signal.aborted) throw new InterruptedError();
    throw error;
  } finally {
    for (const off of unsubscribe) off();
  }
}

async function writeJUnit(file: string, xml: string): Promise<void> {
  const { writeFile } = await import('node:fs/promises');
  try {
    await writeFile(file, xml);
  } catch (error) {
    throw new FailureError(
      `cannot write the JUnit report to ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      {
        hint: 'check that the folder exists and is writable',
      },
    );
  }
}
