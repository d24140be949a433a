// Reading the event store for `events` and `replay`: the previous (rotated) file then the current one, oldest
// first. A line that does not parse — the torn tail a kill -9 leaves behind — is counted and skipped, never fatal.
import type { FileHandle } from 'node:fs/promises';
import { isEventRecord, type EventRecord } from './event-store-record.js';
import { forEachLine, NEWLINE, openStoreFiles, readLineChunks } from './line-chunks.js';

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
  await eachStoreChunk(file, contents, (buffer, end, path, firstLine) =>
    parseLines(buffer.toString('utf8', 0, end), path, contents, firstLine),
  );
  return contents;
}

/** What `events list` shows: the newest `limit` records `acceptEvent` takes, and how many it took in all. */
export interface StoreTail extends StoreContents {
  /** Oldest first, at most `limit`. */
  records: EventRecord[];
  total: number;
}

/** Unreadable lines a page may meet before it comes out short: a torn line or two after a kill -9. */
const PAGE_SLACK = 8;

/**
 * `readEventStore` for a listing, streamed: memory holds one chunk of the file and the places of the newest
 * `limit` (+ a few) lines, and only those lines are parsed — the others are counted, and matched on their event
 * name (read from the line's last bytes, where listen writes it), not parsed. Unreadable lines are reported among
 * those parsed.
 */
export async function readEventStoreTail(
  file: string,
  limit: number,
  acceptEvent?: (event: string | null) => boolean,
): Promise<StoreTail> {
  const tail: StoreTail = { records: [], skipped: [], exists: false, total: 0 };
  const keep = Math.max(0, limit) + PAGE_SLACK;
  // A ring of the newest candidate lines' places (file, offset, length, line number); read again at the end.
  const ring: LinePlace[] = [];
  let next = 0;
  const files = await openStoreFiles(file);
  try {
    for (const { path, handle } of files) {
      tail.exists = true;
      await readLineChunks(handle, (buffer, end, at, firstLine) => {
        let line = firstLine;
        forEachLine(buffer, end, (start, stop) => {
          const number = line++;
          if (stop === start) return;
          if (acceptEvent && !acceptEvent(eventOfLine(buffer, start, stop))) return;
          tail.total += 1;
          if (limit <= 0) return;
          const place = { handle, path, offset: at + start, length: stop - start, line: number };
          if (ring.length < keep) ring.push(place);
          else ring[next] = place;
          next = (next + 1) % keep;
        });
      });
    }
    const newestFirst = ring.length < keep ? ring.reverse() : [...ring.slice(next), ...ring.slice(0, next)].reverse();
    const records: EventRecord[] = [];
    for (const place of newestFirst) {
      if (records.length >= limit) break;
      const bytes = Buffer.allocUnsafe(place.length);
      const { bytesRead } = await place.handle.read(bytes, 0, place.length, place.offset);
      const record = parseLine(bytes.toString('utf8', 0, bytesRead));
      if (record) records.push(record);
      else {
        tail.skipped.push({ file: place.path, line: place.line });
        tail.total -= 1;
      }
    }
    tail.records = records.reverse();
  } finally {
    await Promise.all(files.map((f) => f.handle.close()));
  }
  return tail;
}

interface LinePlace {
  handle: FileHandle;
  path: string;
  offset: number;
  length: number;
  line: number;
}

const EVENT_FIELD = Buffer.from(',"event":');
const DELIVERY_FIELD = Buffer.from(',"deliveryId":');

/**
 * A stored line's event name without parsing the line: listen writes `"event"` after the verdict, near the line's
 * end, so the last `,"event":` in the line is the record's own (a header of that name comes before the body).
 */
function eventOfLine(buffer: Buffer, start: number, stop: number): string | null {
  const line = buffer.subarray(start, stop);
  const at = line.lastIndexOf(EVENT_FIELD);
  if (at === -1) return null;
  const to = line.indexOf(DELIVERY_FIELD, at);
  if (to === -1) return null;
  try {
    const value: unknown = JSON.parse(line.toString('utf8', at + EVENT_FIELD.length, to));
    return typeof value === 'string' ? value : null;
  } catch {
    return null;
  }
}

function parseLine(text: string): EventRecord | undefined {
  try {
    const value: unknown = JSON.parse(text.trim());
    return isEventRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Every run of whole lines of the store's files, oldest file first; sets `exists` when one is there. */
async function eachStoreChunk(
  file: string,
  into: StoreContents,
  onLines: (buffer: Buffer, end: number, path: string, firstLine: number) => boolean | void,
): Promise<void> {
  const files = await openStoreFiles(file);
  try {
    for (const { path, handle } of files) {
      into.exists = true;
      let more = true;
      await readLineChunks(
        handle,
        (buffer, end, _at, firstLine) => (more = onLines(buffer, end, path, firstLine) !== false),
      );
      if (!more) return;
    }
  } finally {
    await Promise.all(files.map((f) => f.handle.close()));
  }
}

export function parseLines(text: string, path: string, into: StoreContents, firstLine = 1): void {
  eachRecord(text, path, into.skipped, (record) => into.records.push(record), firstLine);
}

function eachRecord(
  text: string,
  path: string,
  skipped: StoreContents['skipped'],
  onRecord: (record: EventRecord) => void,
  firstLine = 1,
): void {
  let start = 0;
  let lineNo = firstLine - 1;
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
export function skippedWarning(contents: Pick<StoreContents, 'skipped'>): string | undefined {
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

/**
 * `findEvent` over the store on disk, streamed: the key's bytes (as JSON spells them) are searched for in each
 * chunk, and only the lines holding them are parsed. Stops at an exact event id; otherwise the newest record with
 * that delivery id, else the one id the key starts. Unreadable lines among those are reported in `skipped`.
 */
export async function findStoredEvent(
  file: string,
  key: string,
): Promise<{ found: FindResult; skipped: StoreContents['skipped']; exists: boolean }> {
  const needle = Buffer.from(JSON.stringify(key).slice(1, -1));
  const skipped: StoreContents['skipped'] = [];
  const candidates: EventRecord[] = [];
  let exact: EventRecord | undefined;
  const contents: StoreContents = { records: [], skipped, exists: false };
  if (needle.length > 0) {
    await eachStoreChunk(file, contents, (buffer, end, path, firstLine) => {
      for (let hit = buffer.indexOf(needle); hit !== -1 && hit < end && exact === undefined;) {
        const start = buffer.lastIndexOf(NEWLINE, hit) + 1;
        let stop = buffer.indexOf(NEWLINE, hit);
        if (stop === -1 || stop > end) stop = end;
        const record = parseLine(buffer.toString('utf8', start, stop));
        if (!record) skipped.push({ file: path, line: firstLine + countLines(buffer, start) });
        else if (record.id === key) exact = record;
        else if (record.deliveryId === key || record.id.startsWith(key)) candidates.push(record);
        hit = buffer.indexOf(needle, stop);
      }
      return exact === undefined;
    });
  }
  const found = exact ? { record: exact } : findEvent(candidates, key);
  return { found, skipped, exists: contents.exists };
}

function countLines(buffer: Buffer, before: number): number {
  let n = 0;
  for (let at = buffer.indexOf(NEWLINE); at !== -1 && at < before; at = buffer.indexOf(NEWLINE, at + 1)) n++;
  return n;
}
