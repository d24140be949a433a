// Small node:http helpers: bounded body reads and JSON / problem+json answers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ProblemError, problemBody } from './problem.js';

export const MAX_BODY_BYTES = 1024 * 1024;

export async function readBody(req: IncomingMessage, max = MAX_BODY_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) throw new ProblemError(413, 'body_too_large', `request body is larger than ${max} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Parses a JSON object body; empty bodies count as `{}` only when `allowEmpty`. */
export function parseJsonObject(raw: Buffer, { allowEmpty = false } = {}): Record<string, unknown> {
  const text = raw.toString('utf8');
  if (text.trim() === '') {
    if (allowEmpty) return {};
    throw new ProblemError(400, 'invalid_json', 'request body is empty: send a JSON object', [
      { field: 'body', message: 'expected a JSON object', code: 'required' },
    ]);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ProblemError(400, 'invalid_json', `request body is not valid JSON: ${(error as Error).message}`, [
      { field: 'body', message: 'not valid JSON', code: 'invalid_json' },
    ]);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ProblemError(400, 'invalid_json', 'request body must be a JSON object', [
      { field: 'body', message: 'expected a JSON object', code: 'invalid_type' },
    ]);
  }
  return value as Record<string, unknown>;
}

export interface JsonAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Already serialised JSON (idempotent replays send the stored bytes). */
  raw?: string;
}

export function sendJson(res: ServerResponse, answer: JsonAnswer): void {
  const text = answer.raw ?? (answer.body === undefined ? '' : JSON.stringify(answer.body));
  res.writeHead(answer.status, {
    ...(text !== '' && { 'content-type': 'application/json; charset=utf-8' }),
    'content-length': Buffer.byteLength(text),
    ...answer.headers,
  });
  res.end(text);
}

export function sendProblem(res: ServerResponse, error: ProblemError, instance: string): void {
  const text = JSON.stringify(problemBody(error, instance));
  res.writeHead(error.status, {
    'content-type': 'application/problem+json',
    'content-length': Buffer.byteLength(text),
    ...error.headers,
  });
  res.end(text);
}
