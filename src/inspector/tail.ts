// Follows an event store another process (a running listen) appends to, so `inspect` shows new deliveries live.
// Polls: fs.watch is unreliable across platforms and rotation, and a quarter second is well inside "within 1 s".
import { open, stat } from 'node:fs/promises';
import { parseLines, type StoreContents } from '../store/event-store-read.js';
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
  const poll = async () => {
    if (busy) return;
    busy = true;
    try {
      const info = await stat(file).catch(() => undefined);
      if (!info) return;
      // Rotation (a new file) or truncation: the new file is read from its start; the index drops repeats by id.
      if ((inode !== undefined && info.ino !== inode) || info.size < offset) {
        offset = 0;
        partial = Buffer.alloc(0);
      }
      inode = info.ino;
      if (info.size === offset) return;
      const handle = await open(file, 'r');
      try {
        const buffer = Buffer.alloc(info.size - offset);
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
        offset += bytesRead;
        // Bytes, not text, until a whole line is in: a read may end inside a multi-byte character.
        const bytes = Buffer.concat([partial, buffer.subarray(0, bytesRead)]);
        const end = bytes.lastIndexOf(0x0a);
        // A line still being written stays for the next poll.
        partial = end === -1 ? bytes : bytes.subarray(end + 1);
        if (end === -1) return;
        const contents: StoreContents = { records: [], skipped: [], exists: true };
        parseLines(bytes.subarray(0, end + 1).toString('utf8'), file, contents);
        for (const record of contents.records) onRecord(record);
      } finally {
        await handle.close();
      }
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void poll().catch(() => undefined), POLL_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
