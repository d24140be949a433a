// How the inspector answers: every response carries the security headers; JSON errors are `{error, message}`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SECURITY_HEADERS, type Refusal } from './guard.js';
import { ReplayRefused } from './replay.js';

const MAX_REQUEST_BYTES = 2 * 1024 * 1024;

export type Json = Record<string, unknown> | unknown[];

export function send(
  res: ServerResponse,
  status: number,
  body: string,
  type: string,
  extra: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    ...extra,
  });
  res.end(body);
}

export function json(res: ServerResponse, status: number, value: Json): void {
  send(res, status, JSON.stringify(value), 'application/json; charset=utf-8');
}

export function refuse(res: ServerResponse, refusal: Refusal): void {
  json(res, refusal.status, { error: refusal.error, message: refusal.message });
}

/** A JSON object request body of at most 2 MiB; anything else is refused as the API's own error. */
export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_REQUEST_BYTES) throw new ReplayRefused(413, 'too_large', 'the request body is over 2 MiB');
    chunks.push(chunk);
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new ReplayRefused(400, 'invalid_request', 'the request body must be JSON');
  }
  // `null`, a string, an array: valid JSON, but not the object of fields the API reads.
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ReplayRefused(400, 'invalid_request', 'the request body must be a JSON object');
  }
  return value as Record<string, unknown>;
}
