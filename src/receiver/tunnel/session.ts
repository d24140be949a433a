// `listen --subscribe`: the whole temporary arrangement for one run of listen. start(): the tunnel (or the user's
// --public-url), the self-test through it, then one subscription per event, each secret saved as temporary before
// anything else happens. close(): delete them and their secrets (unless kept), stop the tunnel. The caller calls
// close() on every path — also when start() failed half-way — so nothing outlives listen.
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { EventName } from '../../events/names.js';
import type { ChildControl, ExitInfo } from './child.js';
import {
  tunnelProvider,
  type commandTunnel,
  type GivenUrl,
  type ProviderPlan,
  type publicUrlTunnel,
  type TunnelName,
} from './providers/index.js';
import type { SelfTest, SelfTestResult } from './self-test.js';
import { assertInstalled, freeLoopbackPort, startTunnel, type RunningTunnel } from './start.js';
import {
  deleteTemporary,
  processStartTicks,
  type DeleteOutcome,
  type SecretBook,
  type SubscriptionCalls,
} from './temporary.js';
import type { TemporaryMark } from '../../store/config.js';
import { TunnelError } from './errors.js';

export const DEFAULT_SUBSCRIBE_PATH = '/webhooks/pictify';

export type TunnelChoice =
  | { kind: TunnelName }
  | { kind: typeof commandTunnel.name; command: string; urlPattern?: string }
  | { kind: typeof publicUrlTunnel.name; url: string };

export interface SessionOptions {
  events: readonly EventName[];
  /** Appended to the public URL: --path, else /webhooks/pictify. */
  path: string;
  tunnel: TunnelChoice;
  tunnelTimeoutMs: number;
  /** listen's port, where the tunnel forwards to. */
  port: number;
  /** Where tunnel logs go (the config folder). */
  logDir: string;
  /** The tool's environment (PATH finds it). */
  env: Record<string, string | undefined>;
  proc: ChildControl;
  api: SubscriptionCalls;
  book: SecretBook;
  profile: string;
  /** The API the subscriptions are made at, kept with each secret (StoredSecret.baseUrl). */
  baseUrl?: string;
  owner: { pid: number; hostname: string; startedAt: string };
  selfTest: SelfTest;
  now: () => number;
  /** Progress lines for the user (stderr). */
  onStep?: (line: string) => void;
}

export interface TemporarySubscription {
  uid: string;
  event: string;
  secret: string;
}

export interface CloseOutcome extends DeleteOutcome {
  kept: string[];
}

export class SubscribeSession {
  readonly options: SessionOptions;
  publicUrl: string | undefined;
  targetUrl: string | undefined;
  tunnel: RunningTunnel | undefined;
  selfTestResult: SelfTestResult | undefined;
  readonly subscriptions: TemporarySubscription[] = [];
  #closed: Promise<CloseOutcome> | undefined;

  constructor(options: SessionOptions) {
    this.options = options;
  }

  /** Where the tunnel's output goes (none for a tunnel the user runs). */
  get logFile(): string | undefined {
    const { tunnel, logDir, owner } = this.options;
    return 'url' in tunnel ? undefined : join(logDir, 'tunnels', `${tunnel.kind}-${owner.pid}.log`);
  }

  /** Resolves if the tunnel exits while listen runs (never for --public-url). */
  get died(): Promise<ExitInfo> {
    return this.tunnel?.exited ?? new Promise(() => undefined);
  }

  /** The public URL (a tunnel started, or --public-url), a self-test through it, then the subscriptions. */
  async start(signal?: AbortSignal): Promise<void> {
    const o = this.options;
    const plan = await this.#plan();
    this.publicUrl = 'spec' in plan ? await this.#startTunnel(plan, signal) : plan.publicUrl;
    this.targetUrl = `${this.publicUrl}${o.path}`;
    signal?.throwIfAborted();
    await this.#selfTest(this.targetUrl);
    signal?.throwIfAborted();
    await this.#subscribe(this.targetUrl, this.publicUrl, signal);
  }

  async #startTunnel(plan: ProviderPlan, signal: AbortSignal | undefined): Promise<string> {
    const o = this.options;
    await pruneOldLogs(join(o.logDir, 'tunnels'), o.now());
    const what = plan.shell ? 'the tunnel command' : plan.binary;
    if (!plan.shell) {
      assertInstalled(plan.binary, o.env, { provider: plan.provider, binary: plan.binary, logFile: this.logFile! });
    }
    o.onStep?.(`Starting ${what} (log: ${this.logFile})…`);
    this.tunnel = await startTunnel({
      plan,
      logFile: this.logFile!,
      timeoutMs: o.tunnelTimeoutMs,
      env: o.env,
      proc: o.proc,
      signal,
    });
    return this.tunnel.publicUrl;
  }

  /** A signed delivery through the public URL must come back before Pictify is told to use it. */
  async #selfTest(targetUrl: string): Promise<void> {
    const o = this.options;
    o.onStep?.(`Self-test: a signed delivery through ${targetUrl}…`);
    this.selfTestResult = await o.selfTest.run(targetUrl, { event: o.events[0], nowMs: o.now() });
    if (!this.selfTestResult.ok) {
      throw new TunnelError(
        'self_test_failed',
        `the self-test delivery did not come back: ${this.selfTestResult.problem}`,
        {
          provider: o.tunnel.kind,
          logFile: this.logFile,
          lastLines: this.tunnel?.lastLines() ?? [],
        },
      );
    }
  }

  /** One temporary subscription per event, each recorded and its secret saved (marked temporary) before the next. */
  async #subscribe(targetUrl: string, publicUrl: string, signal: AbortSignal | undefined): Promise<void> {
    const o = this.options;
    const mark = {
      ...o.owner,
      publicUrl,
      ...(this.tunnel ? { tunnel: recordedTunnel(this.tunnel.provider, this.tunnel.pid) } : {}),
    };
    for (const event of o.events) {
      const sub = await o.api.createSubscription({ event, targetUrl });
      // Recorded before anything else, so whatever happens next, close() or a later cleanup can delete it.
      this.subscriptions.push({ uid: sub.uid, event, secret: sub.secret ?? '' });
      if (!sub.secret)
        throw new Error(`the API returned no secret for ${sub.uid}, so its deliveries cannot be verified`);
      await o.book.saveSecret(o.profile, sub.uid, {
        secret: sub.secret,
        event,
        targetUrl,
        ...(o.baseUrl ? { baseUrl: o.baseUrl } : {}),
        createdAt: sub.createdAt ?? new Date(o.now()).toISOString(),
        temporary: mark,
      });
      signal?.throwIfAborted();
    }
  }

  /** Deletes what start() made (unless `keep`), then stops the tunnel. Idempotent. */
  close(options: { keep?: boolean } = {}): Promise<CloseOutcome> {
    this.#closed ??= (async () => {
      const uids = this.subscriptions.map((s) => s.uid);
      let outcome: CloseOutcome = { deleted: [], failed: [], kept: [] };
      if (options.keep) {
        // Kept means ordinary from now on: no later listen or `cleanup` deletes them as leftovers.
        for (const uid of uids) {
          const stored = this.options.book.secrets(this.options.profile)[uid];
          if (!stored) continue;
          const { temporary: _dropped, ...rest } = stored;
          await this.options.book.saveSecret(this.options.profile, uid, rest);
        }
        outcome.kept = uids;
      } else if (uids.length > 0) {
        outcome = {
          ...(await deleteTemporary(this.options.api, this.options.book, this.options.profile, uids)),
          kept: [],
        };
      }
      await this.tunnel?.stop();
      return outcome;
    })();
    return this.#closed;
  }

  async #plan(): Promise<ProviderPlan | GivenUrl> {
    const { tunnel, port, proc, env } = this.options;
    // What the user gave with the choice (--tunnel-command's line and pattern, --public-url's url) goes as it is.
    const { kind, ...given } = tunnel;
    const provider = tunnelProvider(kind);
    if (!provider) throw new Error(`no tunnel provider ${kind}`);
    return provider.plan({ port, freePort: freeLoopbackPort, platform: proc.platform, env, ...given });
  }
}

const LOG_KEEP_MS = 7 * 24 * 3600_000;

/** One log per listen run: the ones older than a week go, so the folder does not grow forever. */
async function pruneOldLogs(dir: string, nowMs: number): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names.filter((n) => n.endsWith('.log'))) {
    const file = join(dir, name);
    const info = await stat(file).catch(() => undefined);
    if (info && nowMs - info.mtimeMs > LOG_KEEP_MS) await rm(file, { force: true }).catch(() => undefined);
  }
}

/** How a temporary mark names its tunnel, so `cleanup` can stop that process group and no other after a kill -9. */
function recordedTunnel(provider: string, pid: number): NonNullable<TemporaryMark['tunnel']> {
  const startTicks = processStartTicks(pid);
  return startTicks === undefined ? { provider, pid } : { provider, pid, startTicks };
}
