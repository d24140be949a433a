// Reading the event store for `events` and `replay`: the previous (rotated) file then the current one, oldest
// first. A line that does not parse — the torn tail a kill -9 leaves behind — is counted and skipped, never fatal.
import { isEventRecord, type EventRecord } from './event-store-record.js';
import { lineNumberAt, NEWLINE, openStoreFiles, readLineChunks, readLineChunksBackwards } from './line-chunks.js';
import { eventOfLine } from './line-facts.js';

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
  // A ring of the newest candidate lines' places (file, offset, length, line number), numbers only (no object per
  // line: a large store has hundreds of thousands); read again at the end.
  const ringFile = new Uint8Array(keep);
  const ringOffset = new Float64Array(keep);
  const ringLength = new Float64Array(keep);
  const ringLine = new Float64Array(keep);
  let kept = 0;
  const files = await openStoreFiles(file);
  try {
    for (let fileNo = 0; fileNo < files.length; fileNo++) {
      tail.exists = true;
      await readLineChunks(files[fileNo].handle, (buffer, end, at, firstLine) => {
        let line = firstLine - 1;
        for (let start = 0; start < end;) {
          let stop = buffer.indexOf(NEWLINE, start);
          if (stop === -1 || stop > end) stop = end;
          line += 1;
          if (stop > start && (!acceptEvent || acceptEvent(eventOfLine(buffer, start, stop)))) {
            tail.total += 1;
            const slot = kept++ % keep;
            ringFile[slot] = fileNo;
            ringOffset[slot] = at + start;
            ringLength[slot] = stop - start;
            ringLine[slot] = line;
          }
          start = stop + 1;
        }
      });
    }
    const records: EventRecord[] = [];
    for (let n = kept - 1; n >= Math.max(0, kept - keep) && records.length < limit; n--) {
      const slot = n % keep;
      const bytes = Buffer.allocUnsafe(ringLength[slot]);
      const { bytesRead } = await files[ringFile[slot]].handle.read(bytes, 0, bytes.length, ringOffset[slot]);
      const record = parseLine(bytes.toString('utf8', 0, bytesRead));
      if (record) records.push(record);
      else {
        tail.skipped.push({ file: files[ringFile[slot]].path, line: ringLine[slot] });
        tail.total -= 1;
      }
    }
    tail.records = records.reverse();
  } finally {
    await Promise.all(files.map((f) => f.handle.close()));
  }
  return tail;
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

/** What `newEventId` makes: a key of another shape can only be a delivery id or an id prefix. */
const EVENT_ID_SHAPE = /^evt_[0-9a-z]{16}$/;

/**
 * `findEvent` over the store on disk, streamed from the end: the key's bytes (as JSON spells them) are searched for
 * in each chunk, and only the lines holding them are parsed. Stops at an exact event id, and at the newest record
 * with that delivery id when the key cannot be an event id (else an event id further back would still win);
 * otherwise the one id the key starts. Unreadable lines among those are reported in `skipped`.
 */
export async function findStoredEvent(
  file: string,
  key: string,
): Promise<{ found: FindResult; skipped: StoreContents['skipped']; exists: boolean }> {
  const needle = Buffer.from(JSON.stringify(key).slice(1, -1));
  const skipped: StoreContents['skipped'] = [];
  /** Newest first. */
  const candidates: EventRecord[] = [];
  const stopAtDelivery = !EVENT_ID_SHAPE.test(key);
  let exact: EventRecord | undefined;
  let done = false;
  const files = await openStoreFiles(file);
  try {
    for (const { path, handle } of [...files].reverse()) {
      if (needle.length === 0 || done) break;
      const unreadable: number[] = [];
      await readLineChunksBackwards(handle, (await handle.stat()).size, (buffer, start, end, at) => {
        // Searched forwards (Buffer.lastIndexOf is several times slower), the hits then taken newest first.
        const lines: Array<[number, number]> = [];
        for (let hit = buffer.indexOf(needle, start); hit !== -1 && hit < end;) {
          const lineStart = Math.max(start, buffer.lastIndexOf(NEWLINE, hit) + 1);
          let stop = buffer.indexOf(NEWLINE, hit);
          if (stop === -1 || stop > end) stop = end;
          lines.push([lineStart, stop]);
          hit = buffer.indexOf(needle, stop);
        }
        for (let i = lines.length - 1; i >= 0; i--) {
          const [lineStart, stop] = lines[i];
          const record = parseLine(buffer.toString('utf8', lineStart, stop));
          if (!record) unreadable.push(at + lineStart);
          else if (record.id === key) exact = record;
          else if (record.deliveryId === key || record.id.startsWith(key)) candidates.push(record);
          done = exact !== undefined || (stopAtDelivery && record?.deliveryId === key);
          if (done) return false;
        }
      });
      for (const offset of unreadable) skipped.push({ file: path, line: await lineNumberAt(handle, offset) });
    }
  } finally {
    await Promise.all(files.map((f) => f.handle.close()));
  }
  const found = exact ? { record: exact } : findEvent(candidates.reverse(), key);
  return { found, skipped: skipped.reverse(), exists: files.length > 0 };
}
