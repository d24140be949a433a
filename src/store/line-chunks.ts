// Reading a store file as runs of whole lines, in fixed chunks: memory stays at one chunk (more only for a single
// line longer than that) whatever the file's size, and a reader searches raw bytes (Buffer.indexOf) before it
// decodes or parses anything. The file is opened as our regular-file rule says: no link followed, no FIFO read.
import type { FileHandle } from 'node:fs/promises';
import { rotatedPath } from './event-store.js';
import { FLAGS, openRegular } from './regular-file.js';

export const CHUNK_BYTES = 8 * 1024 * 1024;
export const NEWLINE = 0x0a;

/**
 * Calls `onLines(buffer, end, at, firstLine)` for successive runs of complete lines: `buffer[0, end)`, which starts
 * at byte `at` of the file and whose first line is line `firstLine` (1-based). The last run ends at the file's end
 * even without a newline (a torn last line is the reader's to skip). `onLines` returning false stops the read.
 * The buffer is reused: copy what must outlive the call. `endAt` stops the read at that byte (a size taken earlier:
 * what is appended after it is someone else's to read).
 */
export async function readLineChunks(
  handle: FileHandle,
  onLines: (buffer: Buffer, end: number, at: number, firstLine: number) => boolean | void,
  endAt = Infinity,
): Promise<void> {
  let buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  let filled = 0;
  let position = 0;
  let line = 1;
  for (;;) {
    if (filled === buffer.length) {
      const bigger = Buffer.allocUnsafe(buffer.length * 2);
      buffer.copy(bigger, 0, 0, filled);
      buffer = bigger;
    }
    const want = Math.min(buffer.length - filled, endAt - position);
    const { bytesRead } = want > 0 ? await handle.read(buffer, filled, want, position) : { bytesRead: 0 };
    position += bytesRead;
    const end = filled + bytesRead;
    const last = bytesRead === 0 ? end - 1 : buffer.lastIndexOf(NEWLINE, end - 1);
    const upTo = last + 1;
    if (upTo > 0) {
      if (onLines(buffer, upTo, position - end, line) === false) return;
      line += countNewlines(buffer, upTo);
    }
    if (bytesRead === 0) return;
    buffer.copy(buffer, 0, upTo, end);
    filled = end - upTo;
  }
}

function countNewlines(buffer: Buffer, end: number): number {
  let n = 0;
  for (let at = buffer.indexOf(NEWLINE); at !== -1 && at < end; at = buffer.indexOf(NEWLINE, at + 1)) n++;
  return n;
}

/** The store's files that exist, oldest first (the rotated one, then the current one), each opened for reading. */
export async function openStoreFiles(file: string): Promise<Array<{ path: string; handle: FileHandle }>> {
  const opened: Array<{ path: string; handle: FileHandle }> = [];
  try {
    for (const path of [rotatedPath(file), file]) {
      try {
        opened.push({ path, handle: await openRegular(path, FLAGS.read) });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
  } catch (error) {
    await Promise.all(opened.map((f) => f.handle.close()));
    throw error;
  }
  return opened;
}

/** Each line of `buffer[0, end)`: its start and end (the newline's index, or `end`). */
export function forEachLine(buffer: Buffer, end: number, onLine: (start: number, stop: number) => void): void {
  let start = 0;
  while (start < end) {
    let stop = buffer.indexOf(NEWLINE, start);
    if (stop === -1 || stop > end) stop = end;
    onLine(start, stop);
    start = stop + 1;
  }
}
