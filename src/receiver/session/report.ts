// What listen tells the user on stderr: the Ready lines, the Stopped line, and the errors a --timeout or a refusing
// app end it with.
import { formatDuration } from '../../output/duration.js';
import { printable } from '../../text/printable.js';
import { WEBHOOK_SECRET_ENV, type SourcedSecret } from '../../signing/secret-source.js';
import type { EventStore } from '../../store/event-store.js';
import type { RunningReceiver } from '../server.js';
import { ListenError } from './errors.js';
import type { ListenHost } from './host.js';
import type { Inspector } from './inspector.js';
import type { ListenOptions } from './options.js';
import type { AppFailures } from './progress.js';
import type { ListenSubscription } from './subscription.js';

/** The Ready line and what follows it: secrets in use, tunnel, store, forwarding, the inspector. */
export function printReady(
  host: ListenHost,
  options: ListenOptions,
  at: {
    url: string;
    secrets: readonly SourcedSecret[];
    /** Stored secrets not verifying: replaced by PICTIFY_WEBHOOK_SECRET/--secret, or another API's. */
    left?: { replaced: number; otherApis: number };
    tunnel: ListenSubscription | undefined;
    storePath: string | null;
    store: EventStore | null;
    inspector: Inspector | undefined;
  },
): void {
  const { tunnel, store, inspector } = at;
  const e = host.errStyle;
  const inUse = tunnel?.secretsInUse() ?? at.secrets;
  host.err(`${e.green('Ready:')} listening on ${at.url} — ${printable(host.secrets.summary(inUse))}`);
  if (at.secrets.length === 0 && !tunnel) {
    host.err(
      e.yellow(
        `  no secrets yet: pass --secret, set ${WEBHOOK_SECRET_ENV}, or create a subscription in profile "${host.profile()}" — its secret is picked up while listening`,
      ),
    );
  }
  for (const line of leftOutLines(at.secrets, at.left)) host.err(e.dim(line));
  for (const line of tunnel?.readyLines() ?? []) host.err(line);
  const storeLine = `${at.storePath ?? 'off'}${store?.durable ? ' (fsync)' : ''}`;
  host.err(
    printable(`  store: ${storeLine}${forwardSummary(options.forwardTo, options.routes)}${waitSummary(options)}`),
  );
  if (inspector) {
    host.err(`  inspector: ${inspector.url}`);
    // Said once the store is indexed (a large one finishes a moment after Ready).
    void inspector.indexed.then((warning) => warning && host.err(`  inspector: ${warning}`));
  }
}

/** What the secrets line leaves out, so a delivery signed with one of those is no surprise. */
function leftOutLines(secrets: readonly SourcedSecret[], left: { replaced: number; otherApis: number } | undefined) {
  const lines: string[] = [];
  const secretsOf = (n: number) => `${n} stored ${n === 1 ? 'secret' : 'secrets'}`;
  if (left?.replaced) {
    const by = secrets.every((s) => s.source?.kind === 'env') ? WEBHOOK_SECRET_ENV : '--secret';
    lines.push(
      `  ${secretsOf(left.replaced)} of the profile not used: ${by} replaces ${left.replaced === 1 ? 'it' : 'them'}`,
    );
  }
  if (left?.otherApis) {
    lines.push(
      `  ${secretsOf(left.otherApis)} skipped as another API's (\`pictify-hooks secrets prune --other-apis\` removes them)`,
    );
  }
  return lines;
}

export function stoppedLine(
  s: RunningReceiver['stats'],
  tunnel: ListenSubscription | undefined,
  store: EventStore | null,
): string {
  return (
    `Stopped: ${s.received} ${s.received === 1 ? 'delivery' : 'deliveries'} (${s.verified} verified, ${s.rejected} rejected, ${s.duplicates} duplicate` +
    (s.storeFailed > 0 ? `, ${s.storeFailed} NOT stored and answered 500` : '') +
    (s.timedOut > 0 ? `, ${s.timedOut} cut with 408 (body too slow)` : '') +
    ')' +
    (tunnel?.selfTestCount ? ` incl. ${tunnel.selfTestCount} self-test` : '') +
    (store ? `, stored in ${printable(store.file)}` : '')
  );
}

export function timedOut(options: ListenOptions, verified: number): ListenError {
  const goal =
    options.exitAfter !== undefined
      ? `${verified} of ${options.exitAfter} verified deliveries arrived`
      : `no verified ${options.waitFor} arrived`;
  return new ListenError('timed_out', `timed out after ${formatDuration(options.timeoutMs ?? 0)}: ${goal}`);
}

function forwardSummary(forwardTo: string | undefined, routes: Array<{ pattern: string; url: string }>): string {
  const parts = routes.map((r) => `${r.pattern} → ${r.url}`);
  if (forwardTo) parts.push(`* → ${forwardTo}`);
  return parts.length > 0 ? ` · forward: ${parts.join(', ')}` : '';
}

function waitSummary(options: ListenOptions): string {
  const parts: string[] = [];
  if (options.exitAfter !== undefined) parts.push(`exit after ${options.exitAfter} verified`);
  if (options.waitFor !== undefined) parts.push(`wait for ${options.waitFor}`);
  if (options.events !== undefined) parts.push(`only ${options.events.join(', ')}`);
  if (options.timeoutMs !== undefined) parts.push(`timeout ${formatDuration(options.timeoutMs)}`);
  return parts.length > 0 ? ` · ${parts.join(', ')}` : '';
}

/** "6 deliveries verified, but your app at http://… answered 400 to all of them". */
export function appFailed(verified: number, failures: AppFailures): ListenError {
  const share = failures.count === verified ? 'all of them' : `${failures.count} of them`;
  // "answered 400 to all of them", "could not be reached for all of them": each verb with the words it takes.
  const answered = [
    failures.statuses.size > 0 ? `answered ${[...failures.statuses].join(', ')}` : '',
    failures.unreachable ? `could not be reached (${failures.unreachable})` : '',
  ]
    .filter(Boolean)
    .join(' or ');
  const to = failures.statuses.size > 0 ? 'to' : 'for';
  const n = verified === 1 ? '1 delivery' : `${verified} deliveries`;
  const app = [...failures.urls].join(', ');
  return new ListenError('app_failed', `${n} verified, but your app at ${app} ${answered} ${to} ${share}`);
}
