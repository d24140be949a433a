// The SDK's own client on the built bin's `mcp` over stdio, recording every message the server sends and
// everything it writes on stderr, so a test can scan a whole session (no secret anywhere in it).
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { BIN } from './bin.js';

export interface McpSession {
  client: Client;
  /** Every message received, as JSON text, in order. */
  traffic: string[];
  stderr(): string;
  /** A tool's result: its text parsed as JSON, and whether it is an error. */
  call(name: string, args?: Record<string, unknown>): Promise<{ isError: boolean; text: string; value: any }>;
  close(): Promise<void>;
}

export async function startMcp(
  env: Record<string, string>,
  options: { command?: string; args?: string[] } = {},
): Promise<McpSession> {
  const transport = new StdioClientTransport({
    command: options.command ?? process.execPath,
    args: options.args ?? [BIN, 'mcp'],
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const client = new Client({ name: 'pictify-hooks-test', version: '1.0.0' });
  const traffic: string[] = [];
  // Recorded below the client, so results and errors alike are seen as they arrived.
  const start = transport.start.bind(transport);
  transport.start = async () => {
    const deliver = transport.onmessage!;
    transport.onmessage = (message) => {
      traffic.push(JSON.stringify(message));
      deliver(message);
    };
    await start();
  };
  await client.connect(transport);
  return {
    client,
    traffic,
    stderr: () => stderr,
    async call(name, args = {}) {
      const result = await client.callTool({ name, arguments: args }, undefined, { timeout: 60_000 });
      const text = (result.content as Array<{ type: string; text: string }>)[0]?.text ?? '';
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        value = undefined;
      }
      return { isError: result.isError === true, text, value };
    },
    close: () => client.close(),
  };
}
