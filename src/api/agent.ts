// The undici Agent handed to global fetch as `dispatcher`: real connect/headers/body timeouts and keep-alive
// reuse across the pages of a `list --all`. undici is imported on first use, not at module load, so
// `pictify-hooks --help` never pays for it; undici unrefs idle sockets, so keep-alive never holds the CLI open.

import type { Agent } from 'undici';

export interface AgentLoader {
  get(): Promise<Agent>;
  close(): Promise<void>;
}

export function createAgentLoader(timeoutMs: number): AgentLoader {
  let pending: Promise<Agent> | undefined;
  return {
    get() {
      pending ??= import('undici').then(
        ({ Agent }) =>
          new Agent({
            connect: { timeout: Math.min(timeoutMs, 10_000) },
            headersTimeout: timeoutMs,
            bodyTimeout: timeoutMs,
            // Below Node's default server keepAliveTimeout (5 s) so we never reuse a socket the server is closing.
            keepAliveTimeout: 4_000,
            keepAliveMaxTimeout: 60_000,
          }),
      );
      return pending;
    },
    async close() {
      const agent = pending;
      pending = undefined;
      if (agent) await (await agent).close();
    },
  };
}
