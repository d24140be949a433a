// The tunnel providers, one module each: the tools --tunnel starts (TUNNELS), the user's --tunnel-command, and the
// tunnel the user runs (--public-url). A new tool is a module in this folder added to TUNNELS: --tunnel's choices,
// its install hint and listen's wiring follow from this list.
import { cloudflared } from './cloudflared.js';
import { command } from './command.js';
import { ngrok } from './ngrok.js';
import { publicUrl } from './public-url.js';
import type { TunnelProvider } from './provider.js';

/** The tools `--tunnel <name>` starts, the first being the one examples and hints suggest. */
export const TUNNELS = [cloudflared, ngrok] as const;
export type TunnelName = (typeof TUNNELS)[number]['name'];
export const TUNNEL_NAMES: readonly TunnelName[] = TUNNELS.map((t) => t.name);

/** --tunnel-command: the tool the user names; --public-url: a tunnel the user runs. */
export { command as commandTunnel, publicUrl as publicUrlTunnel };

export function tunnelProvider(name: string): TunnelProvider | undefined {
  return [...TUNNELS, command, publicUrl].find((t) => t.name === name);
}

export type { GivenUrl, PlanOptions, ProviderPlan, TunnelProvider } from './provider.js';
