// The MCP server on a pair of streams: what `pictify-hooks mcp` runs. Resolves when the client goes away.
import type { McpHost } from './host.js';
import { createMcpServer } from './server.js';
import { LineTransport } from './transport.js';

export type { EmulatorRequest, McpHost } from './host.js';
export { TOOLS } from './server.js';

export interface ServeOptions {
  input: NodeJS.ReadableStream;
  output: { write(chunk: string): unknown };
  /** Aborting it closes the server (a signal, a test). */
  signal?: AbortSignal;
}

export async function serveMcp(host: McpHost, options: ServeOptions): Promise<void> {
  // Read at every message (a small file): a secret stored a moment ago is redacted from the next message on.
  const config = await host.config().catch(() => undefined);
  const given = new Set<string>();
  const secrets = () => {
    const values = [...given, ...host.redact, ...(host.envSecret ? [host.envSecret] : [])];
    try {
      for (const stored of Object.values(config?.secrets(host.profile) ?? {})) values.push(stored.secret);
    } catch {
      // an unreadable config holds nothing to redact; the whsec_ shape is still matched
    }
    return values;
  };
  const transport = new LineTransport({ input: options.input, output: options.output, secrets, log: host.log });
  const server = createMcpServer(host, (secret) => given.add(secret));
  const closed = new Promise<void>((resolve) => (transport.onclose = resolve));
  transport.onerror = (error) => host.log(`mcp: ${error.message}`);
  await server.connect(transport);
  const stop = () => void server.close();
  options.signal?.addEventListener('abort', stop, { once: true });
  try {
    await closed;
  } finally {
    options.signal?.removeEventListener('abort', stop);
  }
}
