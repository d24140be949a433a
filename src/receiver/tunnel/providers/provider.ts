// What every tunnel provider is (one module each in this folder, listed in index.ts), and the loopback helpers
// they share. A provider says how its engine is started and how its public URL is read, the way the tool
// documents it. Everything we start is bound to, and everything we ask is on, loopback.
import { isIP } from 'node:net';
import type { ChildSpec } from '../child.js';

/** What a provider needs to plan a run: listen's port, and what the user gave with --tunnel-command or --public-url. */
export interface PlanOptions {
  port: number;
  /** A free loopback port (for a tool's own local API). */
  freePort(): Promise<number>;
  /** Picks the shell for a command: cmd.exe (ComSpec from `env`) on Windows, /bin/sh elsewhere. */
  platform: string;
  env: Record<string, string | undefined>;
  command?: string;
  urlPattern?: string;
  /** The url of a tunnel the user runs (--public-url). */
  url?: string;
}

export interface TunnelProvider {
  /** The name in --tunnel (for a tool we start by name), log files, temporary marks and messages. */
  readonly name: string;
  /** What to do when its program is not found. */
  readonly install: string;
  /** A tool to start, or (for a tunnel the user runs) the public url as given. */
  plan(options: PlanOptions): Promise<ProviderPlan | GivenUrl>;
}

/** A public url that is there already: nothing to start, log or stop. */
export interface GivenUrl {
  provider: string;
  publicUrl: string;
}

export interface ProviderPlan {
  provider: string;
  /** Shown to the user: the executable, or the command line. */
  binary: string;
  spec: ChildSpec;
  /**
   * The user's own command line, run by a shell: the shell is always there (no install check), the user is told
   * "the tunnel command" rather than the line, and the shell's 127 means the command itself was not found.
   */
  shell?: boolean;
  /** Sees every output line (addresses the tool announces, or the URL itself). */
  observe?(line: string): void;
  /**
   * One attempt to learn the public URL: resolves undefined when not known yet. Called every poll interval
   * until it answers or the tunnel timeout passes.
   */
  probe(signal: AbortSignal): Promise<string | undefined>;
}

export const DEFAULT_URL_PATTERN = 'https://[^\\s"\'<>|]+';

/** A hostname a tool reports becomes an https URL; a loopback one (a local stand-in) has no TLS: http. */
export function urlFromHostname(hostname: string): string | undefined {
  const host = hostname.trim();
  if (host === '') return undefined;
  return `${isLoopbackAuthority(host) ? 'http' : 'https'}://${host}`;
}

export function isLoopbackAuthority(authority: string): boolean {
  const host = authority.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** "0.0.0.0:4040" or "[::]:4040" (bound everywhere) is asked on loopback. */
export function loopbackAddress(addr: string): string {
  const match = /^(.*):(\d+)$/.exec(addr.replace(/^[a-z]+:\/\//, ''));
  if (!match) return addr;
  const host = match[1].replace(/^\[|\]$/g, '');
  if (host === '0.0.0.0' || host === '' || host === '::') return `127.0.0.1:${match[2]}`;
  return isIP(host) === 6 ? `[${host}]:${match[2]}` : `${host}:${match[2]}`;
}

export async function getJson(url: string, signal: AbortSignal): Promise<unknown> {
  const res = await fetch(url, { signal: AbortSignal.any([signal, AbortSignal.timeout(2_000)]), redirect: 'manual' });
  if (res.status !== 200) {
    await res.body?.cancel();
    return undefined;
  }
  return res.json();
}
