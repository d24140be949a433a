// Starts a tunnel engine and waits for its public URL: polls the way its plan says until it answers, the process
// exits, or the timeout passes — each of those a TunnelError carrying the tool's last output lines.
import { accessSync, constants, readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { delimiter, join } from 'node:path';
import { TunnelChild, type ChildControl, type ExitInfo } from './child.js';
import { TunnelError } from './errors.js';
import type { ProviderPlan } from './providers/index.js';

export const DEFAULT_TUNNEL_TIMEOUT_MS = 30_000;
const POLL_MS = 250;
/** What a POSIX shell exits with when the command it was given does not exist. */
const SHELL_NOT_FOUND = 127;

export interface RunningTunnel {
  provider: string;
  publicUrl: string;
  pid: number;
  logFile: string;
  /** Resolves if the tunnel exits by itself; stop() makes it resolve too. */
  readonly exited: Promise<ExitInfo>;
  /** How it exited, once it has. */
  readonly exitInfo: ExitInfo | undefined;
  lastLines(): string[];
  stop(): Promise<void>;
}

export interface StartTunnelOptions {
  plan: ProviderPlan;
  logFile: string;
  timeoutMs?: number;
  env?: Record<string, string | undefined>;
  proc: ChildControl;
  pollMs?: number;
  /** Aborting stops the tool and rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** What every TunnelError of one start carries. */
export type TunnelData = { provider: string; binary: string; logFile: string };

export async function startTunnel(options: StartTunnelOptions): Promise<RunningTunnel> {
  const { plan, logFile } = options;
  const data = { provider: plan.provider, binary: plan.binary, logFile };
  const child = await spawn(options, data);
  if (plan.observe) child.onLine(plan.observe);
  const url = await waitForPublicUrl(child, options, data);
  return {
    provider: plan.provider,
    publicUrl: url,
    pid: child.pid,
    logFile,
    exited: child.exited,
    get exitInfo() {
      return child.exitInfo;
    },
    lastLines: () => child.lastLines(),
    stop: async () => void (await child.stop()),
  };
}

/**
 * Said before anything is announced or written (no "Starting cloudflared", no empty log file) when the tool is not
 * on PATH at all. A path with a slash is left to the spawn, which reports it the same way.
 */
export function assertInstalled(binary: string, env: Record<string, string | undefined>, data: TunnelData): void {
  if (binary.includes('/') || binary.includes('\\')) return;
  const dirs = (env.PATH ?? '').split(delimiter).filter(Boolean);
  const found = dirs.some((dir) => {
    try {
      accessSync(join(dir, binary), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
  if (!found) throw new TunnelError('missing_binary', `${binary} is not installed (not found on PATH)`, data);
}

/** The tool's process, or a TunnelError saying it is not installed or could not start. */
async function spawn(options: StartTunnelOptions, data: TunnelData): Promise<TunnelChild> {
  const { plan, logFile } = options;
  try {
    return await TunnelChild.start({ ...plan.spec, env: options.env ?? plan.spec.env }, logFile, options.proc);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new TunnelError('missing_binary', `${plan.binary} is not installed (not found on PATH)`, {
        ...data,
        cause: error,
      });
    }
    throw new TunnelError('exited_early', `cannot start ${plan.binary}: ${code ?? (error as Error).message}`, {
      ...data,
      cause: error,
    });
  }
}

/** Polls the plan's probe until it reports a usable URL; the tool is stopped on abort, exit or timeout. */
async function waitForPublicUrl(child: TunnelChild, options: StartTunnelOptions, data: TunnelData): Promise<string> {
  const { plan } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TUNNEL_TIMEOUT_MS;
  const controller = new AbortController();
  const deadline = Date.now() + timeoutMs;
  let exited: ExitInfo | undefined;
  void child.exited.then((info) => (exited = info));
  // One listener for the whole wait, not one per poll (a tool that never reports a URL is polled 120 times in
  // 30 s, and each added listener stayed: MaxListenersExceededWarning).
  const abort = aborted(options.signal);
  try {
    for (;;) {
      if (options.signal?.aborted) {
        await child.stop();
        throw options.signal.reason;
      }
      if (exited) {
        await child.stop();
        throw exitedEarly(plan, exited, child, data);
      }
      const url = publicUrl(await plan.probe(controller.signal).catch(() => undefined));
      if (url !== undefined && !exited) return url;
      if (Date.now() >= deadline) {
        await child.stop();
        throw new TunnelError(
          'not_ready',
          `${plan.binary} did not report a public URL within ${Math.round(timeoutMs / 1000)} s`,
          { ...data, lastLines: child.lastLines(), timeoutMs },
        );
      }
      await Promise.race([new Promise((r) => setTimeout(r, options.pollMs ?? POLL_MS)), child.exited, abort.promise]);
    }
  } catch (error) {
    controller.abort();
    throw error;
  } finally {
    abort.dispose();
  }
}

/** The tool exited before it had a URL: a shell's 127 means the tunnel command itself was not found. */
function exitedEarly(plan: ProviderPlan, exited: ExitInfo, child: TunnelChild, data: TunnelData): TunnelError {
  const missing = plan.shell === true && exited.code === SHELL_NOT_FOUND;
  return new TunnelError(
    missing ? 'missing_binary' : 'exited_early',
    missing
      ? `the tunnel command was not found: ${plan.binary}`
      : `${plan.binary} exited (${describeExit(exited)}) before it reported a public URL`,
    { ...data, lastLines: child.lastLines(), exitCode: exited.code, signal: exited.signal },
  );
}

/** Longer than any tunnel's URL (and than browsers keep): a tool printing more is not printing a URL to use. */
export const MAX_PUBLIC_URL_CHARS = 2_048;

/**
 * What a tool reported, if it is a usable http(s) base URL (its text is untrusted: it reaches the terminal, three
 * times, so its length is capped too).
 */
export function publicUrl(reported: string | undefined): string | undefined {
  if (reported === undefined || reported.length > MAX_PUBLIC_URL_CHARS) return undefined;
  let url: URL;
  try {
    url = new URL(reported);
  } catch {
    return undefined;
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password) return undefined;
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/** Resolves when `signal` aborts; dispose() takes its listener off again. */
function aborted(signal: AbortSignal | undefined): { promise: Promise<void>; dispose(): void } {
  if (!signal) return { promise: new Promise(() => undefined), dispose: () => undefined };
  let onAbort!: () => void;
  const promise = new Promise<void>((resolve) => {
    onAbort = () => resolve();
    signal.addEventListener('abort', onAbort, { once: true });
  });
  return { promise, dispose: () => signal.removeEventListener('abort', onAbort) };
}

export function describeExit(info: ExitInfo): string {
  return info.signal ? `signal ${info.signal}` : `code ${info.code}`;
}

/**
 * A free port for a process that binds it itself a moment later (a tunnel tool's metrics server, the demo's listen).
 * Chosen below the kernel's ephemeral range when it can be: `listen(0)` anywhere on the machine is only ever given
 * ports from that range, so no other process's `listen(0)` can take this one between the probe and that bind.
 * `hosts`: every address the later bind will use (an app calling `listen(port)` binds `::` too).
 */
export async function freeLoopbackPort(hosts: string[] = ['127.0.0.1']): Promise<number> {
  const low = 20_000;
  const high = ephemeralStart();
  for (let attempt = 0; high > low && attempt < 50; attempt += 1) {
    const port = low + Math.floor(Math.random() * (high - low));
    let free = true;
    for (const host of hosts) free = free && (await bindable(port, host)) !== undefined;
    if (free) return port;
  }
  const port = await bindable(0, hosts[0]);
  if (port === undefined) throw new Error(`no free port on ${hosts[0]}`);
  return port;
}

/** The first port of Linux's ephemeral range; elsewhere the IANA one. */
function ephemeralStart(): number {
  try {
    const first = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(first) && first > 0 ? first : 49_152;
  } catch {
    return 49_152;
  }
}

/** Binds and releases `port` on `host`: the port it got, or undefined when it was taken. */
function bindable(port: number, host: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen({ port, host, exclusive: true }, () => {
      const bound = (server.address() as AddressInfo).port;
      server.close(() => resolve(bound));
    });
  });
}
