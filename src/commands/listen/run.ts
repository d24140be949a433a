// `listen`: a verifying local receiver that shows every delivery, keeps it in the event store before answering,
// optionally forwards it to the developer's app, and can end itself for CI (--exit-after, --wait-for, --timeout).
// `run` reads as its steps: prepare (secrets, store, --subscribe), start the receiver, the tunnel and the page, say
// Ready, wait for a stop reason, clean up, end with the exit that reason calls for.

import type { Context } from '../../cli/context.js';
import { ExitCode, FailureError, SilentError } from '../../cli/errors.js';
import type { EventRecord } from '../../store/event-store-record.js';
import { printable } from '../../output/printable.js';
import { errStyle, style } from '../shared/styles.js';
import { createPrinter } from '../../receiver/session/printer.js';
import { startUi } from './ui.js';
import { bindFailure } from '../shared/bind-failure.js';
import { removeReadyFile, writeReadyFile } from '../shared/ready-file.js';
import { openInBrowser } from '../shared/open-browser.js';
import { WEBHOOK_SECRET_ENV, type SourcedSecret } from '../../signing/secret-source.js';
import {
  resolveVerifyingSecrets,
  secretWarnings,
  storedSecrets,
  storedSecretsByApi,
  untriedStoredSecrets,
} from '../shared/resolve-secrets.js';
import type { ListenOptions } from '../../receiver/session/options.js';
import { Progress } from '../../receiver/session/progress.js';
import { appFailed, printReady, stoppedLine, timedOut } from './report.js';
import { ListenStop, type StopReason } from '../../receiver/session/stop.js';

export { toOptions } from './options.js';
export type { ListenOptions } from '../../receiver/session/options.js';

type EventStore = import('../../store/event-store.js').EventStore;
type ListenSubscription = import('./tunnel.js').ListenSubscription;
type RunningReceiver = import('../../receiver/server.js').RunningReceiver;
type DeliveryClaims = import('../../receiver/delivery-claims.js').DeliveryClaims;
type Inspector = Awaited<ReturnType<typeof startUi>>;
type MatchesGlob = (glob: string, event: string) => boolean;

/** What listen has before its receiver starts. */
interface Prepared {
  tunnel: ListenSubscription | undefined;
  secrets: SourcedSecret[];
  refreshSecrets?: () => Promise<SourcedSecret[]>;
  /** The profile's secrets that PICTIFY_WEBHOOK_SECRET or --secret replaced: a rejection names the one that signs. */
  knownSecrets?: SourcedSecret[];
  knownNotTriedBecause?: string;
  refreshKnownSecrets?: () => Promise<SourcedSecret[]>;
  /** Stored secrets not verifying: replaced by PICTIFY_WEBHOOK_SECRET/--secret, or another API's. */
  leftOut?: { replaced: number; otherApis: number };
  storePath: string | null;
  store: EventStore | null;
  claims: DeliveryClaims;
}

/** What is running once the receiver is up, closed in this order when listen ends. */
interface Running {
  inspector: Inspector | undefined;
  receiver: RunningReceiver;
  store: EventStore | null;
  tunnel: ListenSubscription | undefined;
}

export async function run(ctx: Context, options: ListenOptions): Promise<void> {
  const { matchesGlob } = await import('../../events/glob.js');
  const prepared = await prepare(ctx, options);
  const stop = new ListenStop();
  const out = { stdout: ctx.io.stdout, json: Boolean(ctx.globals.json), style: style(ctx) };
  const printer = createPrinter(out, await import('../../receiver/describe.js'));
  const progress = new Progress(options, matchesGlob, () => stop.stop('done'));
  const inspector = options.ui ? await startInspector(ctx, options, options.ui, prepared) : undefined;
  const { tunnel } = prepared;
  const onDelivery = (record: EventRecord, payload: unknown) => {
    if (tunnel?.accept(record)) return; // its own self-test: stored, neither shown nor counted
    inspector?.publish(record);
    printer.print(record, payload);
    progress.note(record);
  };
  const receiver = await startListening(ctx, options, prepared, { matchesGlob, onDelivery, inspector });
  const running: Running = { inspector, receiver, store: prepared.store, tunnel };

  stop.watchSignals(ctx, tunnel !== undefined);
  if (tunnel) {
    await tunnel.start(receiver, options.path, stop.signal).catch((error: unknown) => abandon(running, stop, error));
    void tunnel.died.then(() => stop.stop('tunnel'));
  }
  stop.startTimer(options.timeoutMs);
  // Ctrl-C while the tunnel was starting: straight to the stop path, never Ready.
  const readyFileFailed = stop.signal.aborted ? undefined : await announceReady(ctx, options, prepared, running, stop);

  const reason = await stop.stopped;
  stop.beginCleanup();
  let cleanupFailed: Error | undefined;
  try {
    await inspector?.close();
    await receiver.close();
  } finally {
    printer.flush();
    await prepared.store?.close();
    if (options.readyFile) await removeReadyFile(options.readyFile);
    cleanupFailed = await tunnel?.close();
    stop.release();
  }
  ctx.err(stoppedLine(receiver.stats, tunnel, prepared.store));
  throwForStop(reason, { options, progress, tunnel, readyFileFailed, cleanupFailed });
}

/** Everything before the receiver: an old ready file gone, leftovers swept, secrets, the store, ids seen before. */
async function prepare(ctx: Context, options: ListenOptions): Promise<Prepared> {
  // A ready file left by an earlier run must not tell a waiting script that this one is up already.
  if (options.readyFile) await removeReadyFile(options.readyFile);
  // Leftovers of a listen --subscribe that was killed (-9) are deleted first, by every listen.
  await (await import('../cleanup/run.js')).sweepBeforeListen(ctx);
  let tunnel: ListenSubscription | undefined;
  if (options.subscribe) {
    const { ListenSubscription } = await import('./tunnel.js');
    const flagSecrets = options.secrets ? await resolveVerifyingSecrets(ctx, options.secrets) : [];
    tunnel = new ListenSubscription(ctx, options.subscribe, flagSecrets);
  }
  const listening = await listenSecrets(ctx, options, tunnel);
  const { secrets } = listening;
  for (const warning of secretWarnings(secrets)) ctx.err(errStyle(ctx).yellow(warning));
  // The keys first: a store that cannot be read back is refused before anything is opened for writing.
  const claims = await acceptedBefore(await storePathOf(ctx, options));
  const { storePath, store } = await openStore(ctx, options);
  return { tunnel, ...listening, storePath, store, claims };
}

/** `--ui`: the page over this listen's store, forward targets and the secrets verifying right now. */
function startInspector(
  ctx: Context,
  options: ListenOptions,
  ui: NonNullable<ListenOptions['ui']>,
  { tunnel, secrets, refreshSecrets, storePath, store }: Prepared,
): Promise<Inspector> {
  return startUi(ctx, options, ui, {
    storePath,
    store,
    routes: options.routes,
    // The secrets verifying right now: --subscribe's temporary ones once they exist, else the profile's, re-read.
    secrets: async () => tunnel?.secretsInUse() ?? (refreshSecrets ? await refreshSecrets() : secrets),
  });
}

/** The receiver on its port; if it cannot start, the page and the store are closed and the bind failure worded. */
async function startListening(
  ctx: Context,
  options: ListenOptions,
  { secrets, refreshSecrets, knownSecrets, knownNotTriedBecause, refreshKnownSecrets, store, claims }: Prepared,
  wiring: {
    matchesGlob: MatchesGlob;
    onDelivery: (record: EventRecord, payload: unknown) => void;
    inspector: Inspector | undefined;
  },
): Promise<RunningReceiver> {
  const { startReceiver } = await import('../../receiver/server.js');
  try {
    return await startReceiver({
      ...receiverOptions(ctx, options, wiring.matchesGlob),
      secrets,
      refreshSecrets,
      knownSecrets,
      knownNotTriedBecause,
      refreshKnownSecrets,
      store,
      onDelivery: wiring.onDelivery,
      claims,
    });
  } catch (error) {
    await wiring.inspector?.close();
    await store?.close();
    throw bindFailure(error, options.host, options.port) ?? error;
  }
}

/** An error between the receiver's start and Ready must not leave the tunnel or its subscriptions behind. */
async function abandon(
  { inspector, receiver, store, tunnel }: Running,
  stop: ListenStop,
  error: unknown,
): Promise<never> {
  stop.release();
  await inspector?.close();
  await receiver.close();
  await store?.close();
  await tunnel?.close();
  throw error;
}

/** The Ready lines, the ready file, the browser; returns the ready file's failure (which has stopped listen). */
async function announceReady(
  ctx: Context,
  options: ListenOptions,
  { secrets, storePath, store, leftOut }: Prepared,
  { receiver, tunnel, inspector }: Running,
  stop: ListenStop,
): Promise<Error | undefined> {
  printReady(ctx, options, {
    url: receiver.url,
    secrets,
    left: leftOut,
    tunnel,
    storePath,
    store,
    inspector,
  });
  let failed: Error | undefined;
  if (options.readyFile) {
    // Fatal: a script waiting for it would wait forever, so stop (closing the port) and exit 1.
    await writeReadyFile(options.readyFile, receiver.url).catch((error: Error) => {
      failed = error;
      stop.stop('ready-file');
    });
  }
  if (inspector && options.ui?.open && !failed) await openInBrowser(ctx, inspector.url);
  return failed;
}

/** The exit each stop reason calls for, once everything is closed. */
function throwForStop(
  reason: StopReason,
  at: {
    options: ListenOptions;
    progress: Progress;
    tunnel: ListenSubscription | undefined;
    readyFileFailed: Error | undefined;
    cleanupFailed: Error | undefined;
  },
): void {
  if (reason === 'sigint') throw new SilentError(ExitCode.interrupted);
  if (reason === 'ready-file') throw at.readyFileFailed!;
  if (reason === 'tunnel') throw at.tunnel!.deathError();
  const appFailures = reason === 'done' || reason === 'timeout' ? at.progress.appFailures() : undefined;
  if (appFailures) throw appFailed(at.progress.verified, appFailures);
  if (reason === 'timeout') throw timedOut(at.options, at.progress.verified);
  if (at.cleanupFailed) throw at.cleanupFailed;
}

/** The receiver's settings that come straight from the flags. */
function receiverOptions(ctx: Context, options: ListenOptions, matchesGlob: MatchesGlob) {
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
): Promise<
  Pick<
    Prepared,
    'secrets' | 'refreshSecrets' | 'knownSecrets' | 'knownNotTriedBecause' | 'refreshKnownSecrets' | 'leftOut'
  >
> {
  if (tunnel) return { secrets: tunnel.initialSecrets() };
  const fromProfile = (options.secrets ?? []).length === 0 && !ctx.env[WEBHOOK_SECRET_ENV];
  if (!fromProfile) {
    const secrets = await resolveVerifyingSecrets(ctx, options.secrets);
    const knownSecrets = await untriedStoredSecrets(ctx, secrets);
    return { secrets, knownSecrets, leftOut: { replaced: knownSecrets.length, otherApis: 0 } };
  }
  const { api, current, otherApis } = await storedSecretsByApi(ctx);
  return {
    secrets: current,
    refreshSecrets: () => storedSecrets(ctx),
    // A delivery signed with another API's secret (a subscription made with another --base-url) says so.
    knownSecrets: otherApis,
    knownNotTriedBecause: `it was kept for another API, and listen verifies with those of ${api} (its --base-url)`,
    refreshKnownSecrets: async () => (await storedSecretsByApi(ctx)).otherApis,
    leftOut: { replaced: 0, otherApis: otherApis.length },
  };
}

/** The event store (--store, else `<config dir>/events.jsonl`; none with --no-store). */
async function openStore(
  ctx: Context,
  options: ListenOptions,
): Promise<{ storePath: string | null; store: EventStore | null }> {
  const { EventStore, openFailure } = await import('../../store/event-store.js');
  const storePath = await storePathOf(ctx, options);
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
    throw new FailureError(`cannot open the event store ${storePath}: ${openFailure(error, storePath)}`, {
      hint: 'pick another file with --store <file>, or run without one: --no-store',
    });
  }
}

/** --store, else `<config dir>/events.jsonl`; null with --no-store. */
async function storePathOf(ctx: Context, options: ListenOptions): Promise<string | null> {
  if (options.store === false) return null;
  return options.store ?? (await import('../../store/event-store.js')).defaultStorePath(ctx.configDir());
}

/** Pictify retries for a day: a restart of listen must not make a retry of an acknowledged delivery new again. */
async function acceptedBefore(storePath: string | null): Promise<DeliveryClaims> {
  const [{ claimsFromStore }, { openFailure }] = await Promise.all([
    import('../../receiver/delivery-claims.js'),
    import('../../store/event-store.js'),
  ]);
  try {
    return await claimsFromStore(storePath);
  } catch (error) {
    throw new FailureError(`cannot read the event store ${storePath}: ${openFailure(error, storePath ?? undefined)}`);
  }
}
