// The delivery keys of every acknowledged delivery in the store, oldest file first, for listen to seed its duplicate
// index at start. Streams the files in fixed chunks (memory does not grow with the store) and parses no whole
// record it can avoid: listen writes an acknowledged delivery's keys as the record's last field (`dedupeKeys`), so a
// line ending in `"]}` has them within its last bytes. Lines written before that field existed (or not acknowledged)
// are parsed whole only when their verdict says ok.
import type { FileHandle } from 'node:fs/promises';
import { deliveryKeys } from '../signing/delivery-keys.js';
import { isEventRecord, type EventRecord } from './event-store-record.js';
import { rotatedPath } from './event-store.js';
import { FLAGS, openRegular } from './regular-file.js';

const CHUNK_BYTES = 8 * 1024 * 1024;
const KEYS_FIELD = Buffer.from(',"dedupeKeys":[');
const VERIFIED = Buffer.from(',"verdict":{"ok":true');
const NEWLINE = 0x0a;

export interface StoredKeysScan {
  /** Lines read, in both files. */
  lines: number;
  /** Deliveries whose keys were handed on. */
  deliveries: number;
}

/**
 * Calls `onFile` as each store file starts (the rotated one, then the current one; missing files are skipped) and
 * `onKeys` with the keys of each acknowledged delivery in it, in file order.
 */
export async function scanStoredKeys(
  file: string,
  onFile: (path: string) => void,
  onKeys: (keys: string[]) => void,
): Promise<StoredKeysScan> {
  const scan: StoredKeysScan = { lines: 0, deliveries: 0 };
  for (const path of [rotatedPath(file), file]) {
    let handle;
    try {
      handle = await openRegular(path, FLAGS.read);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    try {
      onFile(path);
      await scanFile(handle, scan, onKeys);
    } finally {
      await handle.close();
    }
  }
  return scan;
}

async function scanFile(handle: FileHandle, scan: StoredKeysScan, onKeys: (keys: string[]) => void): Promise<void> {
  let buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  let filled = 0;
  let position = 0;
  for (;;) {
    if (filled === buffer.length) {
      // One line longer than the buffer: make room for it.
      const bigger = Buffer.allocUnsafe(buffer.length * 2);
      buffer.copy(bigger, 0, 0, filled);
      buffer = bigger;
    }
    const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, position);
    position += bytesRead;
    const end = filled + bytesRead;
    const last = bytesRead === 0 ? end : buffer.lastIndexOf(NEWLINE, end - 1);
    // The lines complete in this chunk (the whole rest at the end of the file: a torn last line is just skipped).
    const upTo = last < 0 ? 0 : bytesRead === 0 ? end : last + 1;
    scanLines(buffer, upTo, scan, onKeys);
    if (bytesRead === 0) return;
    buffer.copy(buffer, 0, upTo, end);
    filled = end - upTo;
  }
}

function scanLines(buffer: Buffer, end: number, scan: StoredKeysScan, onKeys: (keys: string[]) => void): void {
  let start = 0;
  // Where VERIFIED next occurs at or after `start`: one forward search serves every line up to it.
  let verifiedAt = -2;
  while (start < end) {
    let stop = buffer.indexOf(NEWLINE, start);
    if (stop === -1 || stop > end) stop = end;
    if (stop > start) {
      scan.lines += 1;
      let keys: string[] | undefined;
      if (stop - start > 3 && buffer[stop - 1] === 0x7d && buffer[stop - 2] === 0x5d && buffer[stop - 3] === 0x22) {
        // Within this line only: a foreign line ending the same way must not send the search through the file.
        const at = buffer.subarray(start, stop).lastIndexOf(KEYS_FIELD);
        if (at > 0) keys = parseKeys(buffer.toString('utf8', start + at + KEYS_FIELD.length - 1, stop - 1));
      }
      if (keys === undefined) {
        if (verifiedAt !== -1 && verifiedAt < start) verifiedAt = buffer.indexOf(VERIFIED, start);
        if (verifiedAt !== -1 && verifiedAt < stop) keys = legacyKeys(buffer.toString('utf8', start, stop));
      }
      if (keys !== undefined && keys.length > 0) {
        scan.deliveries += 1;
        onKeys(keys);
      }
    }
    start = stop + 1;
  }
}

function parseKeys(text: string): string[] | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) && value.every((k) => typeof k === 'string') ? (value as string[]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A record without `dedupeKeys`: written before listen stored them, or not acknowledged. An acknowledged one counts
 * by its delivery id and, when its header carried a single v1 (so that one verified), that v1.
 */
function legacyKeys(line: string): string[] | undefined {
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isEventRecord(record) || !acknowledged(record)) return undefined;
  if (Array.isArray(record.dedupeKeys)) return record.dedupeKeys;
  const header = record.headers['x-pictify-signature'];
  const v1s = typeof header === 'string' ? [...header.matchAll(/(?:^|,)\s*v1=([0-9a-fA-F]{64})\s*(?=,|$)/g)] : [];
  return deliveryKeys({
    deliveryId: typeof record.deliveryId === 'string' ? record.deliveryId : null,
    verifiedSignatures: v1s.length === 1 ? [v1s[0][1]] : [],
  });
}

function acknowledged(record: EventRecord): boolean {
  return record.verdict.ok === true && typeof record.status === 'number' && record.status < 300;
}
