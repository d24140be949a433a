// `listen`: a verifying local receiver that shows every delivery, keeps it in the event store before answering,
// optionally forwards it to the developer's app, and can end itself for CI (--exit-after, --wait-for, --timeout).

import type { Context } from '../cli/context.js';
import { ExitCode, FailureError, SilentError, UsageError } from '../cli/errors.js';
import type { EventRecord } from '../store/event-store-record.js';
import { printable } from '../output/printable.js';
import {
  formatDuration,
  parseCount,
  parseDuration,
  parseEventPattern,
  parseEventPatterns,
  parseHttpUrl,
  parsePort,
  parseRoute,
  parseSize,
  parseTolerance,
} from '../cli/flags.js';
import { errStyle } from './styles.js';
import { createPrinter } from './listen-printer.js';
import { startUi } from './listen-ui.js';
import { profileName } from './profile-name.js';
import { bindFailure } from './bind-failure.js';
import { removeReadyFile, writeReadyFile } from './ready-file.js';
import { checkUiFlags, parseUiPort } from './ui-flags.js';
import { openInBrowser } from './open-browser.js';
import { WEBHOOK_SECRET_ENV, type SourcedSecret } from '../signing/secret-source.js';
import { resolveVerifyingSecrets, secretWarnings, storedSecrets, summariseSecrets } from './resolve-secrets.js';
import { subscribeOptions, type RawSubscribeFlags } from './listen-subscribe.js';

export interface ListenOptions {
  port: number;
  host: string;
  path?: string;
  secrets?: string[];
  toleranceSeconds?: number;
  forwardTo?: string;
  routes: Array<{ pattern: string; url: string }>;
  forwardTimeoutMs: number;
  /** A file, or false for --no-store; undefined means `<config dir>/events.jsonl`. */
  store?: string | false;
  /** --fsync: each group commit is fsynced before its deliveries are answered. */
  fsync?: boolean;
  storeMaxBytes: number;
  maxBodyBytes: number;
  strict: boolean;
  exitAfter?: number;
  /** An event name or glob. */
  waitFor?: string;
  /** --events: the names or globs accepted; undefined accepts every event. */
  events?: string[];
  timeoutMs?: number;
  readyFile?: string;
  /** --subscribe and its companions (a tunnel, temporary subscriptions); see listen-subscribe.ts. */
  subscribe?: import('./listen-subscribe.js').SubscribeOptions;
  /** `--ui`: the inspector page. */
  ui?: { port: number; open: boolean; allowRemoteReplay: boolean };
}

export interface RawListenFlags {
  port: string;
  host: string;
  path?: string;
  secret?: string[];
  tolerance?: string;
  forwardTo?: string;
  route?: string[];
  forwardTimeout: string;
  store?: string | boolean;
  fsync?: boolean;
  storeMax: string;
  maxBody: string;
  strict?: boolean;
  exitAfter?: string;
  waitFor?: string;
  events?: string;
  timeout?: string;
  readyFile?: string;
  tunnelTimeout: string;
  ui?: boolean;
  uiPort?: string;
  open?: boolean;
  allowRemoteReplay?: boolean;
}

export function toOptions(flags: RawListenFlags & RawSubscribeFlags): ListenOptions {
  if (flags.path !== undefined && !flags.path.startsWith('/')) {
    throw new UsageError(`--path must start with "/", got "${flags.path}"`, { hint: 'e.g. --path /webhooks/pictify' });
  }
  const options: ListenOptions = {
    port: parsePort(flags.port),
    host: flags.host,
    path: flags.path,
    secrets: flags.secret,
    toleranceSeconds: flags.tolerance === undefined ? undefined : parseTolerance(flags.tolerance),
    forwardTo: flags.forwardTo === undefined ? undefined : parseHttpUrl(flags.forwardTo, '--forward-to').href,
    routes: (flags.route ?? []).map((r) => parseRoute(r)),
    forwardTimeoutMs: parseDuration(flags.forwardTimeout, '--forward-timeout'),
    store: flags.store === false ? false : typeof flags.store === 'string' ? flags.store : undefined,
    fsync: flags.fsync ?? false,
    storeMaxBytes: parseSize(flags.storeMax, '--store-max'),
    maxBodyBytes: parseSize(flags.maxBody, '--max-body'),
    strict: flags.strict ?? false,
    exitAfter: flags.exitAfter === undefined ? undefined : parseCount(flags.exitAfter, '--exit-after'),
    waitFor: flags.waitFor === undefined ? undefined : parseEventPattern(flags.waitFor, '--wait-for'),
    events: flags.events === undefined ? undefined : parseEventPatterns(flags.events, '--events'),
    timeoutMs: flags.timeout === undefined ? undefined : parseDuration(flags.timeout, '--timeout'),
    readyFile: flags.readyFile,
    subscribe: subscribeOptions(flags, parseDuration(flags.tunnelTimeout, '--tunnel-timeout')),
  };
  checkUiFlags(flags);
  if (flags.ui) {
    options.ui = {
      port: parseUiPort(flags.uiPort),
      open: Boolean(flags.open),
      allowRemoteReplay: Boolean(flags.allowRemoteReplay),
    };
  }
  if (options.timeoutMs !== undefined && options.exitAfter === undefined && options.waitFor === undefined) {
    throw new UsageError('--timeout needs --exit-after or --wait-for', {
      hint: '--timeout bounds the wait for those conditions; without one, stop listen with Ctrl-C or SIGTERM',
    });
  }
  return options;
}

type StopReason = 'done' | 'timeout' | 'sigint' | 'sigterm' | 'tunnel' | 'ready-file';
type EventStore = import('../store/event-store.js').EventStore;
type ListenSubscription = import('./listen-tunnel.js').ListenSubscription;
type RunningReceiver = import('../receiver/server.js').RunningReceiver;
type Inspector = Awaited<ReturnType<typeof startUi>>;

export async function run(ctx: Context, options: ListenOptions): Promise<void> {
  // A ready file left by an earlier run must not tell a waiting script that this one is up already.
  if (options.readyFile) await removeReadyFile(options.readyFile);
  const { matchesGlob } = await import('../events/glob.js');
  const routes = options.routes;
  // Leftovers of a listen --subscribe that was killed (-9) are deleted first, by every listen.
  await (await import('./cleanup-run.js')).sweepBeforeListen(ctx);
  let tunnel: ListenSubscription | undefined;
  if (options.subscribe) {
    const { ListenSubscription } = await import('./listen-tunnel.js');
    const flagSecrets = options.secrets ? await resolveVerifyingSecrets(ctx, options.secrets) : [];
    tunnel = new ListenSubscription(ctx, options.subscribe, flagSecrets);
  }
  const { secrets, refreshSecrets } = await listenSecrets(ctx, options, tunnel);
  for (const warning of secretWarnings(secrets)) ctx.err(errStyle(ctx).yellow(warning));
  const [{ startReceiver }, { storePath, store }] = await Promise.all([
    import('../receiver/server.js'),
    openStore(ctx, options),
  ]);
  const seenDeliveryIds = await acceptedBefore(storePath);

  let readyFileFailed: Error | undefined;
  let stop!: (reason: StopReason) => void;
  const stopped = new Promise<StopReason>((resolve) => (stop = resolve));
  const printer = createPrinter(ctx, await import('../receiver/describe.js'));
  const progress = new Progress(options, matchesGlob, () => stop('done'));
  const inspector = options.ui
    ? await startUi(ctx, options, options.ui, {
        storePath,
        store,
        routes,
        // The secrets verifying right now: --subscribe's temporary ones once they exist, else the profile's, re-read.
        secrets: async () => tunnel?.secretsInUse() ?? (refreshSecrets ? await refreshSecrets() : secrets),
      })
    : undefined;
  const onDelivery = (record: EventRecord, payload: unknown) => {
    if (tunnel?.accept(record)) return; // its own self-test: stored, neither shown nor counted
    inspector?.publish(record);
    printer.print(record, payload);
    progress.note(record);
  };

  let receiver: RunningReceiver;
  try {
    receiver = await startReceiver({
      ...receiverOptions(ctx, options, matchesGlob),
      secrets,
      refreshSecrets,
      store,
      onDelivery,
      seenDeliveryIds,
    });
  } catch (error) {
    await inspector?.close();
    await store?.close();
    throw bindFailure(error, options.host, options.port) ?? error;
  }

  // The handlers stay until the cleanup is over: without one, a second Ctrl-C would take Node's default action and
  // kill listen halfway through deleting its temporary subscriptions (say, while it waits for the config lock).
  let cleaningUp = false;
  let toldStillCleaning = false;
  const onStopSignal = (why: StopReason) => () => {
    if (cleaningUp && tunnel && !toldStillCleaning) {
      toldStillCleaning = true;
      ctx.err('still deleting the temporary subscriptions; this finishes by itself (kill -9 leaves them to `cleanup`)');
    }
    stop(why);
  };
  const unsubscribe = [
    ctx.onSignal('SIGINT', onStopSignal('sigint')),
    ctx.onSignal('SIGTERM', onStopSignal('sigterm')),
  ];
  const aborted = new AbortController();
  void stopped.then(() => aborted.abort());
  // An error between here and Ready must not leave the tunnel or its subscriptions behind.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const abandon = async (error: unknown): Promise<never> => {
    if (timer) clearTimeout(timer);
    for (const off of unsubscribe) off();
    await inspector?.close();
    await receiver.close();
    await store?.close();
    await tunnel?.close();
    throw error;
  };
  if (tunnel) {
    await tunnel.start(receiver, options.path, aborted.signal).catch(abandon);
    void tunnel.died.then(() => stop('tunnel'));
  }
  if (options.timeoutMs !== undefined) timer = setTimeout(() => stop('timeout'), options.timeoutMs);

  // Ctrl-C while the tunnel was starting: straight to the stop path, never Ready.
  if (!aborted.signal.aborted) {
    printReady(ctx, options, { url: receiver.url, secrets, tunnel, storePath, store, inspector });
    if (options.readyFile) {
      // Fatal: a script waiting for it would wait forever, so stop (closing the port) and exit 1.
      await writeReadyFile(options.readyFile, receiver.url).catch((error: Error) => {
        readyFileFailed = error;
        stop('ready-file');
      });
    }
    if (inspector && options.ui?.open && !readyFileFailed) await openInBrowser(ctx, inspector.url);
  }

  const reason = await stopped;
  cleaningUp = true;
  if (timer) clearTimeout(timer);
  let cleanupFailed: Error | undefined;
  try {
    await inspector?.close();
    await receiver.close();
  } finally {
    printer.flush();
    await store?.close();
    if (options.readyFile) await removeReadyFile(options.readyFile);
    cleanupFailed = await tunnel?.close();
    for (const off of unsubscribe) off();
  }

  ctx.err(stoppedLine(receiver.stats, tunnel, store));
  if (reason === 'sigint') throw new SilentError(ExitCode.interrupted);
  if (reason === 'ready-file') throw readyFileFailed!;
  if (reason === 'tunnel') throw tunnel!.deathError();
  if (reason === 'done' || reason === 'timeout') progress.throwIfAppFailed();
  if (reason === 'timeout') throw timedOut(options, progress.verified);
  if (cleanupFailed) throw cleanupFailed;
}

/** The receiver's settings that come straight from the flags. */
function receiverOptions(ctx: Context, options: ListenOptions, matchesGlob: (glob: string, event: string) => boolean) {
  return {
    port: options.port,
    host: options.host,
    path: options.path,
    toleranceSeconds: options.toleranceSeconds,
    forwardTo: options.forwardTo,
    routes: options.routes,
    maxBodyBytes: options.maxBodyBytes,
    strict: options.strict,
    forwardTimeoutMs: options.forwardTimeoutMs,
    now: () => ctx.now(),
    acceptEvent: options.events
      ? (event: string | null) => event !== null && options.events!.some((glob) => matchesGlob(glob, event))
      : undefined,
  };
}

/**
 * What listen verifies with: --subscribe's self-test and flag secrets, else --secret or PICTIFY_WEBHOOK_SECRET,
 * else the profile's secrets, re-read while listening so `create` in another shell needs no restart.
 */
async function listenSecrets(
  ctx: Context,
  options: ListenOptions,
  tunnel: ListenSubscription | undefined,
): Promise<{ secrets: SourcedSecret[]; refreshSecrets?: () => Promise<SourcedSecret[]> }> {
  if (tunnel) return { secrets: tunnel.initialSecrets() };
  const fromProfile = (options.secrets ?? []).length === 0 && !ctx.env[WEBHOOK_SECRET_ENV];
  if (!fromProfile) return { secrets: await resolveVerifyingSecrets(ctx, options.secrets) };
  return { secrets: await storedSecrets(ctx), refreshSecrets: () => storedSecrets(ctx) };
}

/** The event store (--store, else `<config dir>/events.jsonl`; none with --no-store). */
async function openStore(
  ctx: Context,
  options: ListenOptions,
): Promise<{ storePath: string | null; store: EventStore | null }> {
  const { EventStore, defaultStorePath } = await import('../store/event-store.js');
  const storePath = options.store === false ? null : (options.store ?? defaultStorePath(ctx.configDir()));
  if (storePath === null) return { storePath, store: null };
  const e = errStyle(ctx);
  try {
    const store = await EventStore.open(storePath, {
      maxBytes: options.storeMaxBytes,
      durable: options.fsync,
      onUnavailable: (error) =>
        ctx.err(
          e.red(`store: ${printable(error.message)} — answering 500 (the sender will retry) until it can write again`),
        ),
      onRecovered: () => ctx.err(e.green(`store: writing to ${printable(storePath)} again`)),
    });
    return { storePath, store };
  } catch (error) {
    throw new FailureError(
      `cannot open the event store ${storePath}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      {
        hint: 'pick another file with --store <file>, or run without one: --no-store',
      },
    );
  }
}

/** Pictify retries for a day: a restart of listen must not make a retry of an acknowledged delivery new again. */
async function acceptedBefore(storePath: string | null): Promise<string[]> {
  if (storePath === null) return [];
  const { recentAcceptedDeliveryIds } = await import('../store/event-store-read.js');
  return recentAcceptedDeliveryIds(storePath).catch(() => []);
}

/**
 * What --exit-after and --wait-for count: verified deliveries (not duplicates, not ones the store failed to
 * keep). One the app refused counts too, and is remembered, so listen ends on time and blames the app.
 */
class Progress {
  verified = 0;
  readonly #appFailures: NonNullable<EventRecord['forward']>[] = [];
  readonly #options: ListenOptions;
  readonly #matches: (glob: string, event: string) => boolean;
  readonly #done: () => void;

  constructor(options: ListenOptions, matches: (glob: string, event: string) => boolean, done: () => void) {
    this.#options = options;
    this.#matches = matches;
    this.#done = done;
  }

  note(record: EventRecord): void {
    if (!record.verdict.ok || record.verdict.duplicate || record.verdict.ignored) return;
    const fwd = record.forward;
    if (fwd && (fwd.status === undefined || fwd.status >= 300)) this.#appFailures.push(fwd);
    else if (record.status >= 300) return;
    this.verified += 1;
    const { exitAfter, waitFor } = this.#options;
    if (exitAfter !== undefined && this.verified >= exitAfter) this.#done();
    if (waitFor !== undefined && record.event !== null && this.#matches(waitFor, record.event)) this.#done();
  }

  throwIfAppFailed(): void {
    if (this.#appFailures.length > 0) throw appFailed(this.verified, this.#appFailures);
  }
}

/** The Ready line and what follows it: secrets in use, tunnel, store, forwarding, the inspector. */
function printReady(
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
  if (inspector) ctx.err(`  inspector: ${inspector.url}${inspector.warning ? ` (${inspector.warning})` : ''}`);
}

function stoppedLine(
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
    (store ? `, stored in ${store.file}` : '')
  );
}

function timedOut(options: ListenOptions, verified: number): FailureError {
  const goal =
    options.exitAfter !== undefined
      ? `${verified} of ${options.exitAfter} verified deliveries arrived`
      : `no verified ${options.waitFor} arrived`;
  return new FailureError(`timed out after ${formatDuration(options.timeoutMs ?? 0)}: ${goal}`, {
    hint: 'check that the sender points at the url above with the right secret (rejections are listed above)',
  });
}

/** "6 deliveries verified, but your app at http://… answered 400 to all of them". */
function appFailed(verified: number, failures: NonNullable<EventRecord['forward']>[]): FailureError {
  const urls = [...new Set(failures.map((f) => f.url))];
  const statuses = [...new Set(failures.filter((f) => f.status !== undefined).map((f) => String(f.status)))];
  const unreachable = failures.filter((f) => f.status === undefined);
  const share = failures.length === verified ? 'all of them' : `${failures.length} of them`;
  const answered = [
    statuses.length > 0 ? `answered ${statuses.join(', ')}` : '',
    unreachable.length > 0 ? `could not be reached (${unreachable[0]!.error ?? 'no answer'})` : '',
  ]
    .filter(Boolean)
    .join(' or ');
  const n = verified === 1 ? '1 delivery' : `${verified} deliveries`;
  return new FailureError(`${n} verified, but your app at ${urls.join(', ')} ${answered} to ${share}`, {
    hint: "the signatures were fine; listen passed your app's answer on to the sender — look at your app's log",
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
