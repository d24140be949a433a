// The MCP server: every tool registered the same way. A result is the tool's value as JSON text (controls and bidi
// characters escaped, as --json does); a failure is one message (isError), never a crash; each call is one line on
// stderr. Secrets are redacted from every outgoing message by the transport (transport.ts).
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { jsonText, printable } from '../text/printable.js';
import type { McpHost } from './host.js';
import { redactText } from './redact.js';
import { knownSecretValues } from './secrets.js';
import type { ToolDef } from './tool.js';
import { listEventTypes } from './tools/catalogue.js';
import { checkReceiverTool } from './tools/check.js';
import { replayEvent } from './tools/replay.js';
import { sendTestEvent } from './tools/send.js';
import { getEvent, listEvents, waitForEvent } from './tools/stored-events.js';
import {
  createSubscription,
  deleteSubscription,
  getSubscription,
  listSubscriptions,
  updateSubscription,
} from './tools/subscriptions.js';
import { triggerEvent } from './tools/trigger.js';
import { verifySignatureTool } from './tools/verify.js';

export const TOOLS: readonly ToolDef[] = [
  listSubscriptions,
  getSubscription,
  createSubscription,
  updateSubscription,
  deleteSubscription,
  listEventTypes,
  sendTestEvent,
  verifySignatureTool,
  listEvents,
  getEvent,
  waitForEvent,
  replayEvent,
  checkReceiverTool,
  triggerEvent,
];

const INSTRUCTIONS =
  'Pictify webhooks on this machine: manage subscriptions, send signed test events, verify signatures with a ' +
  'diagnosis, read what `pictify-hooks listen` received, replay it, grade a receiver, trigger events in the ' +
  'emulator. Signing secrets stay in the local config: tools name them by subscription uid and never return them.';

/**
 * `remember` is told every secret a model passes in a call, so the transport redacts it from then on as well.
 */
export function createMcpServer(host: McpHost, remember: (secret: string) => void = () => {}): McpServer {
  const server = new McpServer(
    { name: 'pictify-hooks', version: host.version },
    { instructions: INSTRUCTIONS, maxToolInputElements: 10_000 },
  );
  for (const tool of TOOLS) {
    server.registerTool(
      tool.name,
      { title: tool.title, description: tool.description, inputSchema: tool.input, annotations: tool.annotations },
      (args: unknown, extra: { signal: AbortSignal }) => {
        const given = (args as { secret?: unknown } | undefined)?.secret;
        if (typeof given === 'string') remember(given);
        return call(host, tool, args as never, extra.signal);
      },
    );
  }
  return server;
}

async function call(host: McpHost, tool: ToolDef, args: never, signal: AbortSignal): Promise<CallToolResult> {
  const started = performance.now();
  const ms = () => `${Math.round(performance.now() - started)} ms`;
  try {
    const value = await tool.run(args, { host, signal });
    host.log(`mcp: ${tool.name} ok (${ms()})`);
    return { content: [{ type: 'text', text: jsonText(value, 2) }] };
  } catch (error) {
    const message = errorMessage(error);
    // The transport redacts what the client gets; stderr is redacted here.
    const known = await knownSecretValues(host).catch(() => []);
    host.log(printable(redactText(`mcp: ${tool.name} failed (${ms()}): ${message}`, known)));
    return { isError: true, content: [{ type: 'text', text: message }] };
  }
}

/** One line: the message, the HTTP status an API error carries, and a hint where the error has one. */
function errorMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const { status, hint } = error as { status?: unknown; hint?: unknown };
  const withStatus =
    typeof status === 'number' && !error.message.includes(String(status))
      ? `${error.message} (HTTP ${status})`
      : error.message;
  return typeof hint === 'string' && hint ? `${withStatus} — ${hint}` : withStatus;
}
