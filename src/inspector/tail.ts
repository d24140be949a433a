// Follows an event store another process (a running listen) appends to, so `inspect` shows new deliveries live.
// Polls: fs.watch is unreliable across platforms and rotation, and a quarter second is well inside "within 1 s".
import { stat } from 'node:fs/promises';
import { FLAGS, openRegular } from '../store/regular-file.js';
import { parseLines, type StoreContents } from '../store/event-store-read.js';
import { rotatedPath } from '../store/event-store.js';
import type { EventRecord } from '../store/event-store-record.js';

const POLL_MS = 250;

export interface StoreTail {
  stop(): void;
}

/** Starts at `fromBytes` (the size already read); calls `onRecord` for each complete new line. */
export function tailStore(file: string, fromBytes: number, onRecord: (record: EventRecord) => void): StoreTail {
  let offset = fromBytes;
  let inode: number | undefined;
  let partial = Buffer.alloc(0);
  let busy = false;
  /** Reads `path` from `offset` to `size` and hands on every complete line; returns the new offset. */
  const readFrom = async (path: string, from: number, size: number): Promise<number> => {
    const handle = await openRegular(path, FLAGS.read);
    try {
      const buffer = Buffer.alloc(size - from);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, from);
      // Bytes, not text, until a whole line is in: a read may end inside a multi-byte character.
      const bytes = Buffer.concat([partial, buffer.subarray(0, bytesRead)]);
      const end = bytes.lastIndexOf(0x0a);
      // A line still being written stays for the next poll.
      partial = end === -1 ? bytes : bytes.subarray(end + 1);
      if (end !== -1) {
        const contents: StoreContents = { records: [], skipped: [], exists: true };
        parseLines(bytes.subarray(0, end + 1).toString('utf8'), path, contents);
        for (const record of contents.records) onRecord(record);
      }
      return from + bytesRead;
    } finally {
      await handle.close();
    }
  };
  const poll = async () => {
    if (busy) return;
    busy = true;
    try {
      const info = await stat(file).catch(() => undefined);
      if (!info) return;
      if (inode !== undefined && info.ino !== inode) {
        // Rotated: what was appended to the old file since the last poll is now the end of the .1 file.
        const old = await stat(rotatedPath(file)).catch(() => undefined);
        if (old && old.ino === inode && old.size > offset) await readFrom(rotatedPath(file), offset, old.size);
        offset = 0;
        partial = Buffer.alloc(0);
      } else if (info.size < offset) {
        // Truncated: start again; the index drops repeats by id.
        offset = 0;
        partial = Buffer.alloc(0);
      }
      inode = info.ino;
      if (info.size > offset) offset = await readFrom(file, offset, info.size);
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void poll().catch(() => undefined), POLL_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
