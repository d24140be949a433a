// What the MCP tools may touch of the outside world. The `mcp` command builds it from its Context, so the tools
// never see the CLI, flags or process: the API key comes from the profile or the environment, never from the model.
import type { ApiClient } from '../api/index.js';
import type { ConfigStore } from '../store/config.js';

export interface EmulatorRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
}

export interface McpHost {
  version: string;
  /** The API client on the profile's or the environment's key. */
  api(): Promise<ApiClient>;
  config(): Promise<ConfigStore>;
  /** The profile the secrets are stored under. */
  profile: string;
  /** The API base url in use: a secret is recorded with it, and only its secrets (or those recorded without one)
   * verify, as in the CLI. Unknown when the settings do not resolve: then every stored secret counts. */
  baseUrl?: string;
  /** listen's event store (the default one, or `mcp --store`). */
  storePath: string;
  /** PICTIFY_WEBHOOK_SECRET, when set. */
  envSecret?: string;
  /** A request to the running emulator the base url points at (trigger_event). */
  emulator(request: EmulatorRequest): Promise<unknown>;
  /** Milliseconds since the epoch. */
  now(): number;
  /** One line on stderr: stdout carries the protocol. */
  log(line: string): void;
  /** Other values never to show, whatever path they take (the API key). */
  redact: readonly string[];
  /** `mcp --allow-remote`: signed deliveries may go to any host, not only this machine or a subscription's url. */
  allowRemote: boolean;
}
