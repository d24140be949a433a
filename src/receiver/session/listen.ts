// The listen engine: a verifying local receiver that shows every delivery, keeps it in the event store before
// answering, optionally forwards it to the developer's app, and can end itself for CI (--exit-after, --wait-for,
// --timeout). `runListen` reads as its steps: prepare (secrets, store, --subscribe), start the receiver, the tunnel
// and the page, say Ready, wait for a stop reason, clean up, end with the error that reason calls for. Everything
// it needs of the outside world comes in the ListenHost; listen's command (src/commands/listen/) only parses flags
// and wires.
import { matchesGlob } from '../../events/glob.js';
import type { EventRecord } from '../../store/event-store-record.js';
import { startReceiver, type RunningReceiver } from '../server.js';
import { ListenError } from './errors.js';
import type { ListenHost } from './host.js';
import { startInspector, type Inspector } from './inspector.js';
import type { ListenOptions } from './options.js';
import { prepare, type Prepared } from './prepare.js';
import { createPrinter } from './printer.js';
import { Progress } from './progress.js';
import { appFailed, printReady, stoppedLine, timedOut } from './report.js';
import { ListenStop, type StopReason } from './stop.js';
import type { ListenSubscription } from './subscription.js';

/** What is running once the receiver is up, closed in this order when listen ends. */
interface Running {
  inspector: Inspector | undefined;
  receiver: RunningReceiver;
  store: Prepared['store'];
  tunnel: ListenSubscription | undefined;
}

export async function runListen(host: ListenHost, options: ListenOptions): Promise<void> {
  const prepared = await prepare(host, options);
  const stop = new ListenStop();
  const printer = createPrinter({ stdout: host.stdout, json: host.json, style: host.style });
  const progress = new Progress(options, matchesGlob, () => stop.stop('done'));
  const inspector = options.ui ? await openPage(host, options, options.ui, prepared) : undefined;
  const { tunnel } = prepared;
  const onDelivery = (record: EventRecord, payload: unknown) => {
    if (tunnel?.accept(record)) return; // its own self-test: stored, neither shown nor counted
    inspector?.publish(record);
    printer.print(record, payload);
    progress.note(record);
  };
  const receiver = await startListening(host, options, prepared, { onDelivery, inspector });
  const running: Running = { inspector, receiver, store: prepared.store, tunnel };

  stop.watchSignals(host, tunnel !== undefined);
  if (tunnel) {
    await tunnel.start(receiver, options.path, stop.signal).catch((error: unknown) => abandon(running, stop, error));
    void tunnel.died.then(() => stop.stop('tunnel'));
  }
  stop.startTimer(options.timeoutMs);
  // Ctrl-C while the tunnel was starting: straight to the stop path, never Ready.
  const readyFileFailed = stop.signal.aborted ? undefined : await announceReady(host, options, prepared, running, stop);

  const reason = await stop.stopped;
  stop.beginCleanup();
  let cleanupFailed: Error | undefined;
  try {
    await inspector?.close();
    await receiver.close();
  } finally {
    printer.flush();
    await prepared.store?.close();
    if (options.readyFile) await host.readyFile.remove(options.readyFile);
    cleanupFailed = await tunnel?.close();
    stop.release();
  }
  host.err(stoppedLine(receiver.stats, tunnel, prepared.store));
  throwForStop(reason, { options, progress, tunnel, readyFileFailed, cleanupFailed });
}

/** `--ui`: the page over this listen's store, forward targets and the secrets verifying right now. */
function openPage(
  host: ListenHost,
  options: ListenOptions,
  ui: NonNullable<ListenOptions['ui']>,
  { tunnel, secrets, refreshSecrets, storePath, store }: Prepared,
): Promise<Inspector> {
  return startInspector(host, options, ui, {
    storePath,
    store,
    routes: options.routes,
    // The secrets verifying right now: --subscribe's temporary ones once they exist, else the profile's, re-read.
    secrets: async () => tunnel?.secretsInUse() ?? (refreshSecrets ? await refreshSecrets() : secrets),
  });
}

/** The receiver on its port; if it cannot start, the page and the store are closed first. */
async function startListening(
  host: ListenHost,
  options: ListenOptions,
  { secrets, refreshSecrets, knownSecrets, knownNotTriedBecause, refreshKnownSecrets, store, claims }: Prepared,
  wiring: { onDelivery: (record: EventRecord, payload: unknown) => void; inspector: Inspector | undefined },
): Promise<RunningReceiver> {
  try {
    return await startReceiver({
      ...receiverOptions(host, options),
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
    throw new ListenError('bind_failed', (error as Error).message, { cause: error });
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
  host: ListenHost,
  options: ListenOptions,
  { secrets, storePath, store, leftOut }: Prepared,
  { receiver, tunnel, inspector }: Running,
  stop: ListenStop,
): Promise<Error | undefined> {
  printReady(host, options, { url: receiver.url, secrets, left: leftOut, tunnel, storePath, store, inspector });
  let failed: Error | undefined;
  if (options.readyFile) {
    // Fatal: a script waiting for it would wait forever, so stop (closing the port) and exit 1.
    await host.readyFile.write(options.readyFile, receiver.url).catch((error: Error) => {
      failed = error;
      stop.stop('ready-file');
    });
  }
  if (inspector && options.ui?.open && !failed) await host.openInBrowser(inspector.url);
  return failed;
}

/** The error each stop reason ends with, once everything is closed. */
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
  if (reason === 'sigint') throw new ListenError('interrupted', 'interrupted');
  if (reason === 'ready-file') throw at.readyFileFailed!;
  if (reason === 'tunnel') throw at.tunnel!.deathError();
  const appFailures = reason === 'done' || reason === 'timeout' ? at.progress.appFailures() : undefined;
  if (appFailures) throw appFailed(at.progress.verified, appFailures);
  if (reason === 'timeout') throw timedOut(at.options, at.progress.verified);
  if (at.cleanupFailed) throw at.cleanupFailed;
}

/** The receiver's settings that come straight from the flags. */
function receiverOptions(host: ListenHost, options: ListenOptions) {
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
    now: () => host.now(),
    acceptEvent: options.events
      ? (event: string | null) => event !== null && options.events!.some((glob) => matchesGlob(glob, event))
      : undefined,
  };
}
