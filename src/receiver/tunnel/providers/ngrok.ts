// ngrok: `http 127.0.0.1:<port> --log stdout --log-format json`, then GET http://<web_addr>/api/tunnels →
// tunnels[].public_url; web_addr is 127.0.0.1:4040 unless its "starting web service" line says otherwise (another
// agent already has 4040, or the config file moves it).
import { getJson, isLoopbackAuthority, loopbackAddress, type ProviderPlan, type TunnelProvider } from './provider.js';

const NAME = 'ngrok';

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
  const binary = options.binary ?? NAME;
  let webAddr = NGROK_DEFAULT_WEB_ADDR;
  return {
    provider: NAME,
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

export const ngrok = {
  name: NAME,
  install: `install it (brew install ${NAME}, or https://ngrok.com/download, then \`${NAME} config add-authtoken <token>\`)`,
  plan: async ({ port }) => ngrokPlan({ port }),
} as const satisfies TunnelProvider;
