// Reading the event store for `events` and `replay`: the previous (rotated) file then the current one, oldest
// first. A line that does not parse — the torn tail a kill -9 leaves behind — is counted and skipped, never fatal.
import { readFileSync } from 'node:fs';
import { isEventRecord, type EventRecord } from './event-store-record.js';
import { rotatedPath } from './event-store.js';

export interface StoreContents {
  /** Oldest first. */
  records: EventRecord[];
  /** Lines that could not be read, with where they were. */
  skipped: Array<{ file: string; line: number }>;
  /** Whether any store file exists at all. */
  exists: boolean;
}

export async function readEventStore(file: string): Promise<StoreContents> {
  const contents: StoreContents = { records: [], skipped: [], exists: false };
  readStoreFiles(file, contents, (text, path) => parseLines(text, path, contents));
  return contents;
}

/** What `events list` shows: the newest `limit` records `accept` takes, and how many it took in all. */
export interface StoreTail extends StoreContents {
  /** Oldest first, at most `limit`. */
  records: EventRecord[];
  total: number;
}

/**
 * `readEventStore` for a listing: every line is still parsed (so unreadable ones are still reported), but only the
 * last `limit` accepted records are kept — a 50 MiB store is not 46,000 records held in memory to show 20.
 */
export async function readEventStoreTail(
  file: string,
  limit: number,
  accept: (record: EventRecord) => boolean = () => true,
): Promise<StoreTail> {
  const tail: StoreTail = { records: [], skipped: [], exists: false, total: 0 };
  const kept: EventRecord[] = [];
  let next = 0; // ring buffer slot for the next record
  readStoreFiles(file, tail, (text, path) =>
    eachRecord(text, path, tail.skipped, (record) => {
      if (!accept(record)) return;
      tail.total += 1;
      if (limit <= 0) return;
      kept[next] = record;
      next = (next + 1) % limit;
    }),
  );
  tail.records = kept.length < limit ? kept : [...kept.slice(next), ...kept.slice(0, next)];
  return tail;
}

function readStoreFiles(file: string, into: StoreContents, read: (text: string, path: string) => void): void {
  for (const path of [rotatedPath(file), file]) {
    let text: string;
    try {
      // Synchronous: a 50 MiB store is read in one go, not in 512 KiB trips through the thread pool (the callers
      // are commands and the inspector's occasional reload, not listen's hot path).
      text = readFileSync(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    into.exists = true;
    read(text, path);
  }
}

export function parseLines(text: string, path: string, into: StoreContents): void {
  eachRecord(text, path, into.skipped, (record) => into.records.push(record));
}

function eachRecord(
  text: string,
  path: string,
  skipped: StoreContents['skipped'],
  onRecord: (record: EventRecord) => void,
): void {
  let start = 0;
  let lineNo = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    lineNo += 1;
    const line = text.slice(start, end).trim();
    start = end + 1;
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      skipped.push({ file: path, line: lineNo });
      continue;
    }
    if (isEventRecord(value)) onRecord(value);
    else skipped.push({ file: path, line: lineNo });
  }
}

/** One line for stderr about skipped lines, or undefined when there were none. */
export function skippedWarning(contents: StoreContents): string | undefined {
  if (contents.skipped.length === 0) return undefined;
  const where = contents.skipped
    .slice(0, 3)
    .map((s) => `${s.file}:${s.line}`)
    .join(', ');
  const more = contents.skipped.length > 3 ? ` and ${contents.skipped.length - 3} more` : '';
  return `warning: skipped ${contents.skipped.length} unreadable line(s) in the event store (${where}${more}) — usually a write cut short by a killed process; the other events are intact`;
}

export type FindResult = { record: EventRecord } | { ambiguous: EventRecord[] } | { notFound: true };

/** By exact event id, exact delivery id, or a unique id prefix. The newest wins when a delivery id repeats. */
export function findEvent(records: readonly EventRecord[], key: string): FindResult {
  for (let i = records.length - 1; i >= 0; i--) if (records[i].id === key) return { record: records[i] };
  for (let i = records.length - 1; i >= 0; i--) if (records[i].deliveryId === key) return { record: records[i] };
  if (key.length >= 6) {
    const matches = records.filter((r) => r.id.startsWith(key));
    if (matches.length === 1) return { record: matches[0] };
    if (matches.length > 1) return { ambiguous: matches };
  }
  return { notFound: true };
}
