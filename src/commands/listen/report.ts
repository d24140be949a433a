// What listen tells the user on stderr: the Ready lines, the Stopped line, and the error a --timeout ends with.
import type { Context } from '../../cli/context.js';
import { FailureError } from '../../cli/errors.js';
import { formatDuration } from '../../cli/flags.js';
import { printable } from '../../output/printable.js';
import { WEBHOOK_SECRET_ENV, type SourcedSecret } from '../../signing/secret-source.js';
import type { EventStore } from '../../store/event-store.js';
import type { RunningReceiver } from '../../receiver/server.js';
import type { ListenSubscription } from './tunnel.js';
import type { ListenOptions } from '../../receiver/session/options.js';
import type { AppFailures } from '../../receiver/session/progress.js';
import { summariseSecrets } from '../shared/resolve-secrets.js';
import { profileName } from '../shared/profile-name.js';
import { errStyle } from '../shared/styles.js';

type Inspector = Awaited<ReturnType<typeof import('./ui.js').startUi>>;

/** The Ready line and what follows it: secrets in use, tunnel, store, forwarding, the inspector. */
export function printReady(
  ctx: Context,
  options: ListenOptions,
  at: {
    url: string;
    secrets: readonly SourcedSecret[];
    tunnel: ListenSubscription | undefined;
    storePath: string | null;
    store: EventStore | null;
    inspector: Inspector | undefined;
  },
): void {
  const { tunnel, store, inspector } = at;
  const e = errStyle(ctx);
  const inUse = tunnel?.secretsInUse() ?? at.secrets;
  ctx.err(`${e.green('Ready:')} listening on ${at.url} — ${printable(summariseSecrets(inUse))}`);
  if (at.secrets.length === 0 && !tunnel) {
    ctx.err(
      e.yellow(
        `  no secrets yet: pass --secret, set ${WEBHOOK_SECRET_ENV}, or create a subscription in profile "${profileName(ctx)}" — its secret is picked up while listening`,
      ),
    );
  }
  for (const line of tunnel?.readyLines() ?? []) ctx.err(line);
  const storeLine = `${at.storePath ?? 'off'}${store?.durable ? ' (fsync)' : ''}`;
  ctx.err(
    printable(`  store: ${storeLine}${forwardSummary(options.forwardTo, options.routes)}${waitSummary(options)}`),
  );
  if (inspector) {
    ctx.err(`  inspector: ${inspector.url}`);
    // Said once the store is indexed (a large one finishes a moment after Ready).
    void inspector.indexed.then((warning) => warning && ctx.err(`  inspector: ${warning}`));
  }
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

export function timedOut(options: ListenOptions, verified: number): FailureError {
  const goal =
    options.exitAfter !== undefined
      ? `${verified} of ${options.exitAfter} verified deliveries arrived`
      : `no verified ${options.waitFor} arrived`;
  return new FailureError(`timed out after ${formatDuration(options.timeoutMs ?? 0)}: ${goal}`, {
    hint: 'check that the sender points at the url above with the right secret; every delivery that reached listen was printed as it arrived',
  });
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
export function appFailed(verified: number, failures: AppFailures): FailureError {
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
  return new FailureError(`${n} verified, but your app at ${app} ${answered} ${to} ${share}`, {
    hint: "the signatures were fine; listen passed your app's answer on to the sender — look at your app's log",
  });
}
