// The `--subscribe` part of listen, as the CLI sees it: the wording of every tunnel failure (with its exit code
// and the tunnel's last lines), the Ready lines, and what is said when the temporary subscriptions are deleted —
// or could not be. The work itself is in src/receiver/tunnel/.
import { hostname } from 'node:os';
import type { Context } from '../../cli/context.js';
import { CliError, FailureError, UsageError } from '../../cli/errors.js';
import type { RunningReceiver } from '../../receiver/server.js';
import type { EventRecord } from '../../store/event-store-record.js';
import { DEFAULT_SUBSCRIBE_PATH, SelfTest, SubscribeSession, TunnelError } from '../../receiver/tunnel/index.js';
import { lockedSecretBook } from '../../receiver/tunnel/locked-book.js';
import { describeExit } from '../../receiver/tunnel/start.js';
import { tunnelProvider } from '../../receiver/tunnel/providers/index.js';
import { warnIfPlainHttp } from '../shared/plain-http.js';
import { printable } from '../../output/printable.js';
import { errStyle } from '../shared/styles.js';
import { profileName } from '../shared/profile-name.js';
import { currentApi } from '../shared/resolve-secrets.js';
import { symbols } from '../../output/style.js';
import type { SubscribeOptions } from '../../receiver/session/options.js';
import { SELF_TEST_SOURCE, subscriptionSource, type SourcedSecret } from '../../signing/secret-source.js';
import { notSubscribable } from '../../events/names.js';

/** One run of listen --subscribe: created before the receiver starts (it needs the self-test secret). */
export class ListenSubscription {
  readonly selfTest = new SelfTest();
  #ctx: Context;
  #options: SubscribeOptions;
  #flagSecrets: SourcedSecret[];
  #session: SubscribeSession | undefined;

  constructor(ctx: Context, options: SubscribeOptions, flagSecrets: SourcedSecret[]) {
    this.#ctx = ctx;
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
    const ctx = this.#ctx;
    if (this.#options.tunnel.kind === 'public-url') warnIfPlainHttp(ctx, new URL(this.#options.tunnel.url));
    const elsewhere = notSubscribable(this.#options.events);
    if (elsewhere) ctx.err(errStyle(ctx).yellow(`warning: ${elsewhere}`));
    const [api, config] = await Promise.all([ctx.api(), ctx.config()]);
    this.#session = new SubscribeSession({
      events: this.#options.events,
      path: path ?? DEFAULT_SUBSCRIBE_PATH,
      tunnel: this.#options.tunnel,
      tunnelTimeoutMs: this.#options.tunnelTimeoutMs,
      port: receiver.port,
      logDir: ctx.configDir(),
      env: ctx.env,
      proc: ctx.proc,
      api,
      book: lockedSecretBook(config),
      profile: profileName(ctx),
      baseUrl: await currentApi(ctx),
      owner: { pid: ctx.proc.pid, hostname: hostname(), startedAt: new Date(ctx.now()).toISOString() },
      selfTest: this.selfTest,
      now: () => ctx.now(),
      onStep: (line) => ctx.err(errStyle(ctx).dim(printable(line))),
    });
    try {
      await this.#session.start(signal);
    } catch (error) {
      if (signal.aborted) return; // Ctrl-C/SIGTERM while starting: listen's own stop path follows
      throw this.#cliError(error);
    }
    const session = this.#session;
    receiver.setSecrets(this.secretsInUse());
    if (this.#options.writeEnv) {
      const { writeEnvSecret } = await import('../../receiver/tunnel/env-file.js');
      try {
        await writeEnvSecret(
          this.#options.writeEnv,
          session.subscriptions.map((s) => s.secret),
        );
      } catch (error) {
        throw new FailureError(
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
    const e = errStyle(this.#ctx);
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
  async close(): Promise<CliError | undefined> {
    const session = this.#session;
    if (!session) return undefined;
    const ctx = this.#ctx;
    const e = errStyle(ctx);
    const outcome = await session.close({ keep: this.#options.keep });
    if (outcome.kept.length > 0) {
      ctx.err(
        `Kept ${outcome.kept.length} subscription${outcome.kept.length === 1 ? '' : 's'} (--keep), now ordinary ones ` +
          `with their secrets stored: ${outcome.kept.join(', ')}. Remove with ` +
          outcome.kept.map((uid) => `\`pictify-hooks delete ${uid} --yes\``).join(', '),
      );
    }
    if (outcome.deleted.length > 0) {
      ctx.err(
        `Deleted ${outcome.deleted.length} temporary subscription${outcome.deleted.length === 1 ? '' : 's'} and ` +
          `${outcome.deleted.length === 1 ? 'its secret' : 'their secrets'}: ${outcome.deleted.join(', ')}`,
      );
    }
    for (const f of outcome.failed) {
      ctx.err(
        e.red(`could not delete temporary subscription ${f.uid}: ${printable(f.message)}`) +
          ` — it stays recorded; \`pictify-hooks cleanup\` retries, or \`pictify-hooks delete ${f.uid} --yes\``,
      );
    }
    if (outcome.failed.length > 0) {
      return new FailureError(
        `${outcome.failed.length} temporary subscription${outcome.failed.length === 1 ? '' : 's'} could not be deleted`,
        { hint: 'run `pictify-hooks cleanup` when the API is reachable' },
      );
    }
    return undefined;
  }

  /** Why listen stopped when the tunnel went away. */
  deathError(): FailureError {
    const tunnel = this.#session?.tunnel;
    const info = tunnel?.exitInfo ? describeExit(tunnel.exitInfo) : '';
    this.#printLastLines(tunnel?.lastLines() ?? []);
    return new FailureError(
      `the tunnel (${tunnel?.provider ?? 'tunnel'}) exited${info ? ` (${info})` : ''} while listening; ` +
        'Pictify can no longer reach listen',
      { hint: `its log: ${tunnel?.logFile ?? '-'}; start listen again for a new tunnel` },
    );
  }

  #printLastLines(lines: readonly string[]) {
    if (lines.length === 0) return;
    const e = errStyle(this.#ctx);
    this.#ctx.err(e.dim('last lines from the tunnel:'));
    for (const line of lines.slice(-10)) this.#ctx.err(e.dim(`  ${printable(line)}`));
  }

  #cliError(error: unknown): unknown {
    if (!(error instanceof TunnelError)) return error;
    const log = error.logFile ? `its log: ${error.logFile}` : '';
    switch (error.reason) {
      case 'missing_binary':
        return new UsageError(
          error.provider === 'command' ? error.message : `${error.binary} is not installed (not found on PATH)`,
          {
            hint:
              `${tunnelProvider(error.provider)?.install ?? 'install it'}, ` +
              'or run your own tunnel and pass --public-url <its https url>',
          },
        );
      case 'not_ready':
        this.#printLastLines(error.lastLines);
        return new FailureError(error.message, {
          hint: `${log}; allow longer with --tunnel-timeout, or run your own tunnel and pass --public-url`,
        });
      case 'exited_early':
        this.#printLastLines(error.lastLines);
        return new FailureError(error.message, { hint: `${log}; fix what its last lines say, or use --public-url` });
      case 'self_test_failed':
        this.#printLastLines(error.lastLines);
        return new FailureError(error.message, {
          hint:
            this.#options.tunnel.kind === 'public-url'
              ? 'check that the url forwards to this listen (same port, nothing answering in between)'
              : `the tunnel is up but does not route to listen; ${log}`,
        });
      default:
        return new FailureError(error.message, { hint: log || undefined });
    }
  }
}
