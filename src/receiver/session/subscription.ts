// The `--subscribe` part of listen: the tunnel and the temporary subscriptions (src/receiver/tunnel/) run for one
// listen — its Ready lines, the tunnel's last lines when it fails, and what is said when the temporary subscriptions
// are deleted, or could not be. Failures are TunnelError and ListenError: listen's command words their hints.
import { hostname } from 'node:os';
import { notSubscribable } from '../../events/names.js';
import { printable } from '../../text/printable.js';
import { symbols } from '../../output/style.js';
import { SELF_TEST_SOURCE, subscriptionSource, type SourcedSecret } from '../../signing/secret-source.js';
import type { EventRecord } from '../../store/event-store-record.js';
import type { RunningReceiver } from '../server.js';
import { writeEnvSecret } from '../tunnel/env-file.js';
import { TunnelError, type TunnelFailure } from '../tunnel/errors.js';
import { lockedSecretBook } from '../tunnel/locked-book.js';
import { DEFAULT_SUBSCRIBE_PATH, SubscribeSession } from '../tunnel/session.js';
import { SelfTest } from '../tunnel/self-test.js';
import { describeExit } from '../tunnel/start.js';
import { ListenError } from './errors.js';
import type { ListenHost } from './host.js';
import type { SubscribeOptions } from './options.js';

/** The failures whose cause is in the tunnel's own output: its last lines are shown before the error. */
const SHOWS_LAST_LINES: ReadonlySet<TunnelFailure> = new Set(['not_ready', 'exited_early', 'self_test_failed']);

/** One run of listen --subscribe: created before the receiver starts (it needs the self-test secret). */
export class ListenSubscription {
  readonly selfTest = new SelfTest();
  #host: ListenHost;
  #options: SubscribeOptions;
  #flagSecrets: SourcedSecret[];
  #session: SubscribeSession | undefined;

  constructor(host: ListenHost, options: SubscribeOptions, flagSecrets: SourcedSecret[]) {
    this.#host = host;
    this.#options = options;
    this.#flagSecrets = flagSecrets;
  }

  /** What the receiver verifies with until the subscriptions exist: the self-test's secret and any --secret. */
  initialSecrets(): SourcedSecret[] {
    return [{ secret: this.selfTest.secret, source: SELF_TEST_SOURCE }, ...this.#flagSecrets];
  }

  /** What deliveries verify with once started: the temporary secrets and any --secret. */
  secretsInUse(): SourcedSecret[] {
    const temporary =
      this.#session?.subscriptions.map((s) => ({ secret: s.secret, source: subscriptionSource(s.uid) })) ?? [];
    return [...temporary, ...this.#flagSecrets];
  }

  /** Self-test deliveries that reached listen (its stats count them). */
  selfTestCount = 0;

  /** listen hands each delivery here first: true for the self-test, which is neither shown nor counted. */
  accept(record: EventRecord): boolean {
    const mine = this.selfTest.accept(record);
    if (mine) this.selfTestCount += 1;
    return mine;
  }

  get died(): Promise<unknown> {
    return this.#session?.died ?? new Promise(() => undefined);
  }

  async start(receiver: RunningReceiver, path: string | undefined, signal: AbortSignal): Promise<void> {
    const host = this.#host;
    const tunnel = this.#options.tunnel;
    if ('url' in tunnel) host.warnIfPlainHttp(new URL(tunnel.url));
    const elsewhere = notSubscribable(this.#options.events);
    if (elsewhere) host.err(host.errStyle.yellow(`warning: ${elsewhere}`));
    const [api, config] = await Promise.all([host.api(), host.config()]);
    this.#session = new SubscribeSession({
      events: this.#options.events,
      path: path ?? DEFAULT_SUBSCRIBE_PATH,
      tunnel,
      tunnelTimeoutMs: this.#options.tunnelTimeoutMs,
      port: receiver.port,
      logDir: host.configDir(),
      env: host.env,
      proc: host.proc,
      api,
      book: lockedSecretBook(config),
      profile: host.profile(),
      baseUrl: await host.currentApi(),
      owner: { pid: host.proc.pid, hostname: hostname(), startedAt: new Date(host.now()).toISOString() },
      selfTest: this.selfTest,
      now: () => host.now(),
      onStep: (line) => host.err(host.errStyle.dim(printable(line))),
    });
    try {
      await this.#session.start(signal);
    } catch (error) {
      if (signal.aborted) return; // Ctrl-C/SIGTERM while starting: listen's own stop path follows
      if (error instanceof TunnelError && SHOWS_LAST_LINES.has(error.reason)) this.#printLastLines(error.lastLines);
      throw error;
    }
    const session = this.#session;
    receiver.setSecrets(this.secretsInUse());
    if (this.#options.writeEnv) {
      try {
        await writeEnvSecret(
          this.#options.writeEnv,
          session.subscriptions.map((s) => s.secret),
        );
      } catch (error) {
        throw new ListenError(
          'write_env_failed',
          `cannot write --write-env ${this.#options.writeEnv}: ` +
            `${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
        );
      }
    }
  }

  /** The lines under "Ready:". */
  readyLines(): string[] {
    const session = this.#session;
    if (!session?.targetUrl) return [];
    const e = this.#host.errStyle;
    const via = session.tunnel ? session.tunnel.provider : 'your tunnel';
    const lines = [
      `  public: ${e.bold(session.targetUrl)} ` +
        `(${via}; self-test ${e.green(symbols.ok)} ${session.selfTestResult?.latencyMs ?? 0} ms)`,
      `  subscriptions (temporary — deleted when listen stops${this.#options.keep ? ', unless --keep' : ''}): ` +
        printable(session.subscriptions.map((s) => `${s.uid} ${s.event}`).join(', ')),
    ];
    if (this.#options.printSecret) {
      for (const s of session.subscriptions) lines.push(`  secret ${s.uid}: ${s.secret}`);
    }
    if (this.#options.writeEnv) lines.push(`  wrote PICTIFY_WEBHOOK_SECRET to ${this.#options.writeEnv}`);
    if (session.logFile) lines.push(e.dim(`  tunnel log: ${session.logFile}`));
    return lines;
  }

  /**
   * Deletes the subscriptions and secrets (or keeps them with --keep), stops the tunnel, says what happened.
   * Returns an error when a delete failed for good, so the exit code says so too.
   */
  async close(): Promise<ListenError | undefined> {
    const session = this.#session;
    if (!session) return undefined;
    const host = this.#host;
    const e = host.errStyle;
    const outcome = await session.close({ keep: this.#options.keep });
    if (outcome.kept.length > 0) {
      host.err(
        `Kept ${outcome.kept.length} subscription${outcome.kept.length === 1 ? '' : 's'} (--keep), now ordinary ones ` +
          `with their secrets stored: ${outcome.kept.join(', ')}. Remove with ` +
          outcome.kept.map((uid) => `\`pictify-hooks delete ${uid} --yes\``).join(', '),
      );
    }
    if (outcome.deleted.length > 0) {
      host.err(
        `Deleted ${outcome.deleted.length} temporary subscription${outcome.deleted.length === 1 ? '' : 's'} and ` +
          `${outcome.deleted.length === 1 ? 'its secret' : 'their secrets'}: ${outcome.deleted.join(', ')}`,
      );
    }
    for (const f of outcome.failed) {
      host.err(
        e.red(`could not delete temporary subscription ${f.uid}: ${printable(f.message)}`) +
          ` — it stays recorded; \`pictify-hooks cleanup\` retries, or \`pictify-hooks delete ${f.uid} --yes\``,
      );
    }
    if (outcome.failed.length > 0) {
      return new ListenError(
        'not_deleted',
        `${outcome.failed.length} temporary subscription${outcome.failed.length === 1 ? '' : 's'} could not be deleted`,
      );
    }
    return undefined;
  }

  /** Why listen stopped when the tunnel went away. */
  deathError(): ListenError {
    const tunnel = this.#session?.tunnel;
    const info = tunnel?.exitInfo ? describeExit(tunnel.exitInfo) : '';
    this.#printLastLines(tunnel?.lastLines() ?? []);
    return new ListenError(
      'tunnel_died',
      `the tunnel (${tunnel?.provider ?? 'tunnel'}) exited${info ? ` (${info})` : ''} while listening; ` +
        'Pictify can no longer reach listen',
      { logFile: tunnel?.logFile },
    );
  }

  #printLastLines(lines: readonly string[]) {
    if (lines.length === 0) return;
    const host = this.#host;
    host.err(host.errStyle.dim('last lines from the tunnel:'));
    for (const line of lines.slice(-10)) host.err(host.errStyle.dim(`  ${printable(line)}`));
  }
}
