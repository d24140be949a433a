// node:http request/response plumbing shared by the node and express adapters.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { TOO_LARGE, type IncomingDelivery, type Reply } from './core.js';

export function nodeHeader(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return value === undefined ? undefined : Array.isArray(value) ? value.join(',') : value;
}

/**
 * Takes no more of the body and ends the connection once the answer is out — as listen does after its 413 (left
 * alone, node:http would read the rest to keep the connection alive, however large it is).
 */
export function stopReading(req: IncomingMessage, res: ServerResponse): void {
  req.pause();
  res.setHeader('connection', 'close');
  res.once('finish', () => req.socket?.destroy());
}

/** Streams the body under a cap; past the cap the rest is not read and the connection closes after the answer. */
export function readNodeBody(
  req: IncomingMessage,
  res: ServerResponse,
  maxBytes: number,
): Promise<Uint8Array | typeof TOO_LARGE> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        cleanup();
        stopReading(req, res);
        resolve(TOO_LARGE);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

export function nodeDelivery(req: IncomingMessage, res: ServerResponse): IncomingDelivery {
  return {
    method: req.method ?? '',
    header: (name) => nodeHeader(req, name),
    readBody: (max) => readNodeBody(req, res, max),
    refuseBody: () => stopReading(req, res),
  };
}

export function writeReply(res: ServerResponse, answer: Reply): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(answer.status, { ...answer.headers, 'content-length': Buffer.byteLength(answer.body) });
  res.end(answer.body);
}
