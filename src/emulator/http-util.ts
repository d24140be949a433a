// Small node:http helpers: bounded body reads and JSON / problem+json answers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ProblemError, problemBody } from './problem.js';

export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The body, up to `max` bytes. Past that: a 413 that ends the connection, and no more of the body read — not
 * destroyed mid-request (a later request on that connection was reset), not read on to keep the connection alive.
 */
export function readBody(req: IncomingMessage, max = MAX_BODY_BYTES): Promise<Buffer> {
  const tooLarge = () => {
    req.pause();
    return new ProblemError(413, 'body_too_large', `request body is larger than ${max} bytes`, undefined, {
      connection: 'close',
    });
  };
  if (Number(req.headers['content-length']) > max) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) return void chunks.push(chunk);
      stop();
      reject(tooLarge());
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      stop();
      reject(error);
    };
    const stop = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
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
