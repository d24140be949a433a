// How each tunnel engine is started and how its public URL is read — the way each tool documents it:
//   cloudflared  `tunnel --url http://127.0.0.1:<port> --metrics 127.0.0.1:<m> --no-autoupdate`, then
//                GET http://127.0.0.1:<m>/quicktunnel → {"hostname": "<name>.trycloudflare.com"} (empty until up)
//   ngrok        `http 127.0.0.1:<port> --log stdout --log-format json`, then GET http://<web_addr>/api/tunnels
//                → tunnels[].public_url; web_addr is 127.0.0.1:4040 unless its "starting web service" line says
//                otherwise (another agent already has 4040, or the config file moves it)
//   command      any other tool: `{port}` substituted, the URL taken from its output by a pattern
// Everything we start is bound to, and everything we ask is on, loopback.
import { isIP } from 'node:net';
import type { ChildSpec } from './child.js';

export type ProviderName = 'cloudflared' | 'ngrok' | 'command';

export interface ProviderPlan {
  provider: ProviderName;
  /** Shown to the user: the executable, or the command line. */
  binary: string;
  spec: ChildSpec;
  /** Sees every output line (addresses the tool announces, or the URL itself). */
  observe?(line: string): void;
  /**
   * One attempt to learn the public URL: resolves undefined when not known yet. Called every poll interval
   * until it answers or the tunnel timeout passes.
   */
  probe(signal: AbortSignal): Promise<string | undefined>;
}

export const DEFAULT_URL_PATTERN = 'https://[^\\s"\'<>|]+';

/** A hostname cloudflared reports becomes an https URL; a loopback one (a local stand-in) has no TLS: http. */
export function urlFromHostname(hostname: string): string | undefined {
  const host = hostname.trim();
  if (host === '') return undefined;
  return `${isLoopbackAuthority(host) ? 'http' : 'https'}://${host}`;
}

function isLoopbackAuthority(authority: string): boolean {
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

async function getJson(url: string, signal: AbortSignal): Promise<unknown> {
  const res = await fetch(url, { signal: AbortSignal.any([signal, AbortSignal.timeout(2_000)]), redirect: 'manual' });
  if (res.status !== 200) {
    await res.body?.cancel();
    return undefined;
  }
  return res.json();
}

export function cloudflaredPlan(options: { binary?: string; port: number; metricsPort: number }): ProviderPlan {
  const binary = options.binary ?? 'cloudflared';
  let metrics = `127.0.0.1:${options.metricsPort}`;
  return {
    provider: 'cloudflared',
    binary,
    spec: {
      file: binary,
      args: ['tunnel', '--url', `http://127.0.0.1:${options.port}`, '--metrics', metrics, '--no-autoupdate'],
    },
    observe(line) {
      // If it had to bind elsewhere, its log says where: "Starting metrics server on 127.0.0.1:20241/metrics".
      const named = /Starting metrics server on (\S+?)\/metrics/.exec(line);
      if (named) metrics = loopbackAddress(named[1]);
    },
    async probe(signal) {
      const body = (await getJson(`http://${metrics}/quicktunnel`, signal).catch(() => undefined)) as
        { hostname?: unknown } | undefined;
      return typeof body?.hostname === 'string' ? urlFromHostname(body.hostname) : undefined;
    },
  };
}

export const NGROK_DEFAULT_WEB_ADDR = '127.0.0.1:4040';

/** The agent API address an ngrok log line names ({"msg":"starting web service","addr":…} or logfmt). */
export function ngrokWebAddr(line: string): string | undefined {
  if (!line.includes('starting web service')) return undefined;
  try {
    const parsed = JSON.parse(line) as { addr?: unknown };
    if (typeof parsed.addr === 'string') return loopbackAddress(parsed.addr);
  } catch {
    const match = /\baddr=(\S+)/.exec(line);
    if (match) return loopbackAddress(match[1]);
  }
  return undefined;
}

/**
 * The https public_url of /api/tunnels (a loopback http one from a local stand-in, when there is no https), of the
 * tunnel that forwards to `port`: an agent may run other tunnels, and 4040 may belong to another agent.
 */
export function publicUrlFromTunnels(body: unknown, port: number): string | undefined {
  const tunnels = (body as { tunnels?: unknown })?.tunnels;
  if (!Array.isArray(tunnels)) return undefined;
  const urls = (tunnels as Array<{ public_url?: unknown; config?: { addr?: unknown } }>)
    .filter((t) => typeof t?.config?.addr !== 'string' || new RegExp(`:${port}/?$`).test(t.config.addr))
    .map((t) => t?.public_url)
    .filter((u): u is string => typeof u === 'string');
  return (
    urls.find((u) => u.startsWith('https://')) ??
    urls.find((u) => u.startsWith('http://') && isLoopbackAuthority(new URL(u).host))
  );
}

export function ngrokPlan(options: { binary?: string; port: number }): ProviderPlan {
  const binary = options.binary ?? 'ngrok';
  let webAddr = NGROK_DEFAULT_WEB_ADDR;
  return {
    provider: 'ngrok',
    binary,
    spec: {
      file: binary,
      args: ['http', `127.0.0.1:${options.port}`, '--log', 'stdout', '--log-format', 'json'],
    },
    observe(line) {
      webAddr = ngrokWebAddr(line) ?? webAddr;
    },
    async probe(signal) {
      const body = await getJson(`http://${webAddr}/api/tunnels`, signal).catch(() => undefined);
      return publicUrlFromTunnels(body, options.port);
    },
  };
}

export function commandPlan(options: {
  command: string;
  port: number;
  urlPattern?: string;
  /** Picks the shell: cmd.exe (ComSpec from `env`) on Windows, /bin/sh elsewhere. */
  platform: string;
  env: Record<string, string | undefined>;
}): ProviderPlan {
  const line = options.command.replaceAll('{port}', String(options.port));
  const pattern = new RegExp(options.urlPattern ?? DEFAULT_URL_PATTERN);
  let found: string | undefined;
  return {
    provider: 'command',
    binary: line,
    spec:
      options.platform === 'win32'
        ? { file: options.env.ComSpec ?? 'cmd.exe', args: ['/d', '/s', '/c', line] }
        : { file: '/bin/sh', args: ['-c', line] },
    observe(text) {
      const match = found === undefined ? pattern.exec(text) : null;
      if (match) found = match[1] ?? match[0];
    },
    async probe() {
      return found;
    },
  };
}
