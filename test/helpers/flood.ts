// A client that keeps sending a body the server has refused: how many bytes the server took, and whether it ended
// the connection. A server that reads a refused body to the end takes all of it on an open connection.
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';

export const MiB = 1024 * 1024;

export interface Offered {
  /** The status line's code, 0 when no answer came. */
  status: number;
  /** The answer's head and body as text. */
  answer: string;
  /** Body bytes the kernel took off our hands (sent, or queued in the socket buffers). */
  accepted: number;
  /** The server ended the connection within `closeWithinMs` of our last write. */
  closed: boolean;
}

/**
 * POSTs `headers` then up to `total` body bytes of `fill`, announced by Content-Length (`declared`, default `total`)
 * or sent chunked, as fast as the server takes them; stops when the server closes, or takes nothing for
 * `stallMs`.
 */
export async function offerBody(
  url: string,
  options: {
    headers: Record<string, string>;
    total: number;
    chunked?: boolean;
    declared?: number;
    stallMs?: number;
    closeWithinMs?: number;
  },
): Promise<Offered> {
  const target = new URL(url);
  const socket = connect(Number(target.port), target.hostname);
  await once(socket, 'connect');
  const chunks: Buffer[] = [];
  socket.on('data', (c: Buffer) => chunks.push(c));
  let ended = false;
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  void closed.then(() => (ended = true));
  socket.on('error', () => undefined); // EPIPE / ECONNRESET once the server is gone: expected

  const framing = options.chunked
    ? 'Transfer-Encoding: chunked\r\n'
    : `Content-Length: ${options.declared ?? options.total}\r\n`;
  const head =
    `POST ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${target.host}\r\n${framing}` +
    Object.entries(options.headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('') +
    '\r\n';
  socket.write(head);
  const piece = Buffer.alloc(64 * 1024, 0x61);
  const frame = options.chunked
    ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')])
    : piece;
  const headBytes = Buffer.byteLength(head);
  let offered = 0;
  while (offered < options.total && !ended && !socket.destroyed) {
    offered += piece.length;
    if (socket.write(frame)) continue;
    const drained = await Promise.race([
      once(socket, 'drain').then(() => true),
      closed.then(() => false),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), options.stallMs ?? 1_000)),
    ]).catch(() => false);
    if (!drained) break;
  }
  const accepted = Math.max(0, socketBytesWritten(socket) - headBytes);
  await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, options.closeWithinMs ?? 3_000))]);
  const wasClosed = ended;
  socket.destroy();
  const answer = Buffer.concat(chunks).toString('latin1');
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0), answer, accepted, closed: wasClosed };
}

/** What the kernel accepted: bytesWritten counts what was handed to it, minus what is still queued in Node. */
function socketBytesWritten(socket: Socket): number {
  return socket.bytesWritten - socket.writableLength;
}
