// cloudflared: `tunnel --url http://127.0.0.1:<port> --metrics 127.0.0.1:<m> --no-autoupdate`, then
// GET http://127.0.0.1:<m>/quicktunnel → {"hostname": "<name>.trycloudflare.com"} (empty until up).
import { getJson, loopbackAddress, urlFromHostname, type ProviderPlan, type TunnelProvider } from './provider.js';

const NAME = 'cloudflared';

export function cloudflaredPlan(options: { binary?: string; port: number; metricsPort: number }): ProviderPlan {
  const binary = options.binary ?? NAME;
  let metrics = `127.0.0.1:${options.metricsPort}`;
  return {
    provider: NAME,
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

export const cloudflared = {
  name: NAME,
  install: `install it (brew install ${NAME}, or https://developers.cloudflare.com/cloudflare-one/connections/connect-networks/downloads/)`,
  plan: async ({ port, freePort }) => cloudflaredPlan({ port, metricsPort: await freePort() }),
} as const satisfies TunnelProvider;
