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

/**
 * `readLineChunks` from the end: calls `onLines(buffer, start, end, at)` for runs of complete lines,
 * `buffer[start, end)` starting at byte `at + start` of the file, the newest run first (a reader that wants the newest
 * line first walks each run from its end). Reads `[0, size)` only. `onLines` returning false stops the read.
 * The buffer is reused: copy what must outlive the call.
 */
export async function readLineChunksBackwards(
  handle: FileHandle,
  size: number,
  onLines: (buffer: Buffer, start: number, end: number, at: number) => boolean | void,
): Promise<void> {
  let buffer = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, Math.max(1, size)));
  let end = size;
  while (end > 0) {
    const at = Math.max(0, end - buffer.length);
    const length = end - at;
    const { bytesRead } = await handle.read(buffer, 0, length, at);
    if (bytesRead < length) return; // cut short under us: what was read is all there is
    // The run's first line may have begun before `at`: it is read again with the next run.
    const first = at === 0 ? 0 : buffer.indexOf(NEWLINE) + 1;
    if (first === 0 && at > 0) {
      // One line longer than the buffer: read it with a bigger one.
      buffer = Buffer.allocUnsafe(buffer.length * 2);
      continue;
    }
    if (onLines(buffer, first, length, at) === false) return;
    end = at + first;
  }
}

/** The line number (1-based) of the line starting at byte `offset`: counted from the file's start (a rare path). */
export async function lineNumberAt(handle: FileHandle, offset: number): Promise<number> {
  let line = 1;
  await readLineChunks(
    handle,
    (buffer, end) => {
      line += countNewlines(buffer, end);
    },
    offset,
  );
  return line;
}
