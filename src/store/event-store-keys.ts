// The delivery keys of every acknowledged delivery in the store, oldest file first, for listen to seed its duplicate
// index at start. Streams the files in fixed chunks (memory does not grow with the store) and parses no whole
// record it can avoid: listen writes an acknowledged delivery's keys as the record's last field (`dedupeKeys`), so a
// line ending in `"]}` has them within its last bytes. Lines written before that field existed (or not acknowledged)
// are parsed whole only when their verdict says ok.
import { deliveryKeys } from '../signing/delivery-keys.js';
import { isEventRecord, type EventRecord } from './event-store-record.js';
import { forEachLine, openStoreFiles, readLineChunks } from './line-chunks.js';

const KEYS_FIELD = Buffer.from(',"dedupeKeys":[');
const VERIFIED = Buffer.from(',"verdict":{"ok":true');

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
  const files = await openStoreFiles(file);
  try {
    for (const { path, handle } of files) {
      onFile(path);
      await readLineChunks(handle, (buffer, end) => scanLines(buffer, end, scan, onKeys));
    }
  } finally {
    await Promise.all(files.map((f) => f.handle.close()));
  }
  return scan;
}

function scanLines(buffer: Buffer, end: number, scan: StoredKeysScan, onKeys: (keys: string[]) => void): void {
  // Where VERIFIED next occurs: one forward search serves every line up to it.
  let verifiedAt = -2;
  forEachLine(buffer, end, (start, stop) => {
    if (stop === start) return;
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
  });
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
