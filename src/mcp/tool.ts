// One tool as data: its name, what it does, its input schema and the hints clients use to decide when to ask the
// user first. server.ts registers them all the same way (results as sanitised JSON, errors as one message).
import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { McpHost } from './host.js';

export interface ToolCall {
  host: McpHost;
  /** Aborted when the client cancels the call or the server closes. */
  signal: AbortSignal;
}

export interface ToolDef<S extends z.ZodRawShape = z.ZodRawShape> {
  name: string;
  title: string;
  description: string;
  input: S;
  annotations: ToolAnnotations;
  run(args: z.output<z.ZodObject<S>>, call: ToolCall): Promise<unknown>;
}

export function defineTool<S extends z.ZodRawShape>(def: ToolDef<S>): ToolDef {
  return def as unknown as ToolDef;
}

// Bounds on what a model may pass: a clear validation error instead of megabytes in memory.
export const MAX_PAYLOAD_CHARS = 1024 * 1024;

export const uidField = z
  .string()
  .regex(/^[\w.:-]{1,200}$/, 'a subscription uid: letters, digits, "_", "-", "." or ":" (up to 200)')
  .describe('subscription uid (see list_subscriptions)');
export const urlField = z.string().min(1).max(2048);
export const secretField = z
  .string()
  .min(1)
  .max(1024)
  .describe('a webhook secret to use instead of a stored one (never echoed)');
export const setField = z
  .array(z.string().min(3).max(4096))
  .max(50)
  .describe('field overrides as path=value with a JSON value, e.g. data.templateId="tmpl_1"');
export const dataField = z.record(z.string(), z.unknown()).describe('JSON object merged into the sample event data');
export const storedIdField = z
  .string()
  .min(1)
  .max(200)
  .describe('a stored event id from list_events (a unique prefix works), or a delivery id');
