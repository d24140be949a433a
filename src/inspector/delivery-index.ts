// The inspector's view of the event store, kept small whatever the store's size: per delivery, where its line is
// (file, byte offset, length) and the few facts the list filters and charts by (time, verdict kind, event name, a
// hash of its id), in typed arrays — about 40 bytes a delivery. A store is indexed in two passes: its lines first
// (where each is: enough for the newest page, a fraction of a second per GB), then their facts (what filters, the
// chart and lookups by id wait for). Records are read back from the file only for the
// rows, the detail or the search asked for. Deliveries that arrive while it runs (listen --ui, the tail, replays)
// are held whole: a session's worth. Filtering runs here, not in the page, so 10,000 bodies never travel to the
// browser.
import type { FileHandle } from 'node:fs/promises';
import { isEventRecord, type EventRecord } from '../store/event-store-record.js';
import { forEachLine, NEWLINE, readLineChunks, readLineChunksBackwards } from '../store/line-chunks.js';
import { lineFacts } from '../store/line-facts.js';
import {
  matches,
  searchText,
  summarize,
  verdictKind,
  VERDICT_KINDS,
  type DeliverySummary,
  type ListFilter,
  type VerdictKind,
} from './summary.js';

export interface ListPage {
  /** Matching deliveries in the snapshot. */
  total: number;
  /** Deliveries in the store (unfiltered) in the snapshot. */
  stored: number;
  /** The snapshot: the highest seq included; pass it back to page through a stable list. */
  until: number;
  offset: number;
  items: DeliverySummary[];
}

export interface Histogram {
  /** Unix milliseconds of the first bucket's start; buckets are `bucketMs` wide. */
  startMs: number;
  bucketMs: number;
  buckets: Array<Record<VerdictKind, number>>;
}

/** A store file the index points into, open for its whole life (a rotation renames it; the handle still reads it). */
export interface IndexedFile {
  path: string;
  handle: FileHandle;
  /** Bytes of it indexed: what was there when it was opened. */
  size: number;
}

const HISTOGRAM_BUCKETS = 60;
/** Parsed records kept for the rows and details asked for again (a page re-rendered, a diff after a detail). */
const RECORD_CACHE = 1024;
/** Records read back, at most, to find a delivery's previous one of its event before the facts are read. */
const EARLY_READS = 200;
/** Bytes of each file's end searched for an id while the facts are read. */
const EARLY_SEARCH_BYTES = 64 * 1024 * 1024;
/** Bytes a page of rows is read in at once, at most. */
const READ_SPAN = 4 * 1024 * 1024;
/** Bytes a search lower-cases at a time. */
const SEARCH_SLICE = 64 * 1024;
const KIND_CODE = new Map(VERDICT_KINDS.map((k, i) => [k, i]));
/** `#kind` of a delivery whose facts are not read yet, and of a line that turned out to be no record. */
const PENDING = 254;
const HOLE = 255;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/**
 * Two independent 32-bit FNV-1a hashes of an id's UTF-8 bytes `[start, end)`: together a 64-bit key, so a lookup
 * reads only its own line, and a store's line is hashed where it lies, without decoding its id.
 */
function idHashes(bytes: Uint8Array, start = 0, end = bytes.length): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = start; i < end; i++) {
    const c = bytes[i];
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
  }
  return [a >>> 0, b >>> 0];
}

const hashesOf = (id: string) => idHashes(Buffer.from(id, 'utf8'));

function grown<T extends Float64Array | Uint32Array | Uint8Array | Int32Array>(array: T, need: number): T {
  const next = new (array.constructor as new (n: number) => T)(Math.max(need, array.length * 2));
  next.set(array);
  return next;
}

export class DeliveryIndex {
  #count = 0;
  /** Byte offset of the line in `#files[file]`, or -1 - i for `#live[i]`. */
  #where = new Float64Array(1024);
  #length = new Uint32Array(1024);
  #file = new Uint8Array(1024);
  #timeMs = new Float64Array(1024);
  #kind = new Uint8Array(1024);
  /** Index into `#eventNames`, -1 for none. */
  #event = new Int32Array(1024);
  #hashA = new Uint32Array(1024);
  #hashB = new Uint32Array(1024);
  /** Open addressing on hashA: seq + 1, 0 = empty. */
  #table = new Int32Array(2048);
  readonly #eventNames: string[] = [];
  readonly #eventCode = new Map<string, number>();
  readonly #live: EventRecord[] = [];
  readonly #files: IndexedFile[] = [];
  readonly #cache = new Map<number, EventRecord>();
  /** The last query's matches (seqs, newest first), reused while the filter and snapshot stay the same. */
  #matches: { key: string; until: number; seqs: number[] } | undefined;
  /** Lines that could not be read while indexing, with where they were. */
  readonly skipped: Array<{ file: string; line: number }> = [];
  /** Set while the store's lines are found: every answer waits for it. */
  lines: Promise<void> | undefined;
  /** Set until every stored line's facts are read: filters, the chart, lookups by id and new deliveries wait. */
  facts: Promise<void> | undefined;
  /** Stored deliveries whose facts are read (the first ones: they are read in order). */
  #factsRead = 0;

  get size(): number {
    return this.#count;
  }

  /**
   * Indexes the store's files (oldest first: the rotated one, then the current one), each up to its `size`, one
   * chunk at a time — the server answers between chunks. The handles stay open until `close`. Resolves when every
   * line's facts are read.
   */
  index(files: readonly IndexedFile[]): Promise<void> {
    const lines = (async () => {
      for (const file of files) await this.#findLines(this.#files.push(file) - 1);
    })();
    this.lines = lines.finally(() => (this.lines = undefined));
    const facts = lines.then(async () => {
      for (let fileNo = 0; fileNo < this.#files.length; fileNo++) await this.#readFacts(fileNo);
      this.skipped.sort(
        (a, b) =>
          files.findIndex((f) => f.path === a.file) - files.findIndex((f) => f.path === b.file) || a.line - b.line,
      );
    });
    this.facts = facts.finally(() => (this.facts = undefined));
    return facts;
  }

  /** Each line of a store file up to its indexed size: its bytes `buffer[start, stop)`, file offset and number. */
  async #eachLine(
    fileNo: number,
    onLine: (buffer: Buffer, start: number, stop: number, offset: number, line: number) => void,
  ): Promise<void> {
    const file = this.#files[fileNo];
    await readLineChunks(
      file.handle,
      (buffer, end, at, firstLine) => {
        let line = firstLine;
        for (let start = 0; start < end; line++) {
          let stop = buffer.indexOf(NEWLINE, start);
          if (stop === -1 || stop > end) stop = end;
          onLine(buffer, start, stop, at + start, line);
          start = stop + 1;
        }
      },
      file.size,
    );
  }

  /**
   * First pass: every line that may be a record (`{…}`, else one that parses) becomes a delivery, in file order.
   * A torn last line (no closing brace) is skipped here; a line that only looks whole is found out by `#readFacts`.
   */
  async #findLines(fileNo: number): Promise<void> {
    const path = this.#files[fileNo].path;
    await this.#eachLine(fileNo, (buffer, start, stop, offset, line) => {
      if (stop === start) return;
      const whole = buffer[start] === OPEN_BRACE && buffer[stop - 1] === CLOSE_BRACE;
      if (whole || parseRecord(buffer.toString('utf8', start, stop))) this.#push(offset, stop - start, fileNo);
      else if (buffer.toString('latin1', start, stop).trim() !== '') this.skipped.push({ file: path, line });
    });
  }

  /** Second pass: each delivery's facts, read from its line's bytes (parsed only when laid out otherwise). */
  async #readFacts(fileNo: number): Promise<void> {
    const path = this.#files[fileNo].path;
    await this.#eachLine(fileNo, (buffer, start, stop, offset, line) => {
      const seq = this.#factsRead;
      if (seq >= this.#count || this.#where[seq] !== offset || this.#file[seq] !== fileNo) return;
      this.#factsRead += 1;
      const facts = lineFacts(buffer, start, stop);
      const parsed = facts ? undefined : parsedFacts(buffer, start, stop);
      const [a, b] = facts ? idHashes(buffer, facts.idStart, facts.idEnd) : parsed ? hashesOf(parsed.id) : [0, 0];
      const f = facts ?? parsed;
      if (!f) this.skipped.push({ file: path, line });
      // A line that is no record, or a record already indexed, stays a hole: seqs do not move.
      if (!f || this.#seqOf(a, b) !== undefined) this.#kind[seq] = HOLE;
      else {
        const kind = f.duplicate ? 'duplicate' : f.ignored ? 'ignored' : f.ok ? 'ok' : 'failed';
        this.#setFacts(seq, f.timeMs, kind, f.event, a, b);
      }
    });
  }

  /** Adds a record; returns its summary, or undefined when that id is already known (the tail re-read it). */
  add(record: EventRecord): DeliverySummary | undefined {
    const [a, b] = hashesOf(record.id);
    if (this.#seqOf(a, b) !== undefined) return undefined;
    this.#live.push(record);
    const seq = this.#push(-this.#live.length, 0, 0);
    this.#setFacts(seq, Date.parse(record.receivedAt), verdictKind(record), record.event, a, b);
    return summarize(record, seq);
  }

  /** Waits for the facts pass (a failed one leaves what it read). */
  async #factsIn(): Promise<void> {
    await this.facts?.catch(() => undefined);
  }

  /** Closes the store files. */
  async close(): Promise<void> {
    await Promise.all(this.#files.map((f) => f.handle.close().catch(() => undefined)));
  }

  async get(id: string): Promise<{ record: EventRecord; seq: number } | undefined> {
    const early = this.facts ? await this.#searchBack(id) : undefined;
    if (early) return early;
    await this.#factsIn();
    const seq = this.#seqOf(...hashesOf(id));
    if (seq === undefined) return undefined;
    const record = await this.#read(seq);
    return record && record.id === id ? { record, seq } : undefined;
  }

  /** The delivery of the same event type received just before this one (what "diff" compares against). */
  async previousOfSameEvent(id: string): Promise<EventRecord | undefined> {
    const seq = (await this.get(id))?.seq;
    if (seq === undefined) return undefined;
    // Facts not read yet: the records just before it, read back, usually hold one (else wait for the facts).
    if (this.facts) {
      const event = (await this.#read(seq))?.event;
      for (let i = seq - 1; i >= Math.max(0, seq - EARLY_READS); i--) {
        const r = await this.#read(i);
        if (r && r.event === event && event !== null && !r.bodyOmitted) return r;
      }
    }
    await this.#factsIn();
    const event = this.#event[seq];
    if (event === -1) return undefined;
    for (let i = seq - 1; i >= 0; i--) {
      if (this.#event[i] !== event) continue;
      const r = await this.#read(i);
      if (r && !r.bodyOmitted) return r;
    }
    return undefined;
  }

  /**
   * A delivery by id while the facts pass runs (a row of the newest page opened at once): its id's bytes searched
   * for from the files' ends, in chunks, only the lines holding them parsed. Undefined when not met in the last
   * EARLY_SEARCH_BYTES of each file: further back, the facts pass is done sooner.
   */
  async #searchBack(id: string): Promise<{ record: EventRecord; seq: number } | undefined> {
    const needle = Buffer.from(JSON.stringify(id).slice(1, -1));
    for (let fileNo = this.#files.length - 1; fileNo >= 0; fileNo--) {
      const file = this.#files[fileNo];
      const hits: number[] = [];
      let found: { record: EventRecord; seq: number } | undefined;
      await readLineChunksBackwards(file.handle, file.size, (buffer, start, end, at) => {
        for (let hit = buffer.indexOf(needle, start); hit !== -1 && hit < end; hit = buffer.indexOf(needle, hit + 1))
          hits.push(at + buffer.lastIndexOf(NEWLINE, hit) + 1);
        return hits.length === 0 && file.size - at < EARLY_SEARCH_BYTES;
      });
      for (const at of hits.reverse()) {
        const seq = this.#seqAt(fileNo, at);
        const record = seq === undefined ? undefined : await this.#read(seq);
        if (record?.id === id) found = { record, seq: seq! };
      }
      if (found) return found;
    }
    return undefined;
  }

  /** Whether the facts of every stored delivery are read (else filters and lookups wait for them). */
  get complete(): boolean {
    return this.facts === undefined;
  }

  /** Event names present in the store, sorted, for the filter menu: those read so far (see `complete`). */
  eventNames(): string[] {
    return [...this.#eventNames].sort();
  }

  async list(filter: ListFilter, options: { offset?: number; limit?: number; until?: number } = {}): Promise<ListPage> {
    const until = Math.min(options.until ?? this.#count - 1, this.#count - 1);
    const offset = Math.max(0, options.offset ?? 0);
    const limit = Math.min(Math.max(1, options.limit ?? 100), 1000);
    let total: number;
    let page: number[];
    if (unfiltered(filter)) {
      // Every seq from `until` down: no list of them is built.
      total = until + 1;
      page = [];
      for (let seq = until - offset; seq >= 0 && page.length < limit; seq--) page.push(seq);
    } else {
      const seqs = await this.#matching(filter, until);
      total = seqs.length;
      page = seqs.slice(offset, offset + limit);
    }
    const records = await this.#readPage(page);
    const items = records.flatMap((record, i) => (record ? [summarize(record, page[i])] : []));
    return { total, stored: until + 1, until, offset, items };
  }

  async histogram(filter: ListFilter, until = this.#count - 1): Promise<Histogram> {
    await this.#factsIn();
    const last = Math.min(until, this.#count - 1);
    const seqs = unfiltered(filter) ? undefined : await this.#matching(filter, last);
    const each = (visit: (seq: number) => void) => {
      if (seqs) for (const seq of seqs) visit(seq);
      else for (let seq = last; seq >= 0; seq--) visit(seq);
    };
    const empty = (): Record<VerdictKind, number> => ({ ok: 0, failed: 0, duplicate: 0, ignored: 0 });
    let min = Infinity;
    let max = -Infinity;
    each((seq) => {
      const t = this.#timeMs[seq];
      if (!Number.isFinite(t)) return;
      if (t < min) min = t;
      if (t > max) max = t;
    });
    if (!Number.isFinite(min)) return { startMs: 0, bucketMs: 60_000, buckets: [] };
    const bucketMs = niceBucket((max - min) / HISTOGRAM_BUCKETS);
    const startMs = Math.floor(min / bucketMs) * bucketMs;
    const count = Math.floor((max - startMs) / bucketMs) + 1;
    const buckets = Array.from({ length: count }, empty);
    each((seq) => {
      const t = this.#timeMs[seq];
      if (Number.isFinite(t)) buckets[Math.floor((t - startMs) / bucketMs)][VERDICT_KINDS[this.#kind[seq]]] += 1;
    });
    return { startMs, bucketMs, buckets };
  }

  /** A new delivery at `where`, its facts not read yet; returns its seq. */
  #push(where: number, length: number, file: number): number {
    const seq = this.#count++;
    const need = this.#count;
    if (need > this.#where.length) {
      this.#where = grown(this.#where, need);
      this.#length = grown(this.#length, need);
      this.#file = grown(this.#file, need);
      this.#timeMs = grown(this.#timeMs, need);
      this.#kind = grown(this.#kind, need);
      this.#event = grown(this.#event, need);
      this.#hashA = grown(this.#hashA, need);
      this.#hashB = grown(this.#hashB, need);
    }
    this.#where[seq] = where;
    this.#length[seq] = length;
    this.#file[seq] = file;
    this.#timeMs[seq] = NaN;
    this.#kind[seq] = PENDING;
    this.#event[seq] = -1;
    if (need * 2 > this.#table.length) this.#rehash(this.#table.length * 2);
    return seq;
  }

  #setFacts(seq: number, timeMs: number, kind: VerdictKind, event: string | null, a: number, b: number): void {
    this.#timeMs[seq] = timeMs;
    this.#kind[seq] = KIND_CODE.get(kind) ?? 0;
    this.#event[seq] = event === null ? -1 : this.#eventIndex(event);
    this.#hashA[seq] = a;
    this.#hashB[seq] = b;
    this.#place(seq);
  }

  #eventIndex(event: string): number {
    let code = this.#eventCode.get(event);
    if (code === undefined) {
      code = this.#eventNames.push(event) - 1;
      this.#eventCode.set(event, code);
    }
    return code;
  }

  #place(seq: number): void {
    const mask = this.#table.length - 1;
    let slot = this.#hashA[seq] & mask;
    while (this.#table[slot] !== 0) slot = (slot + 1) & mask;
    this.#table[slot] = seq + 1;
  }

  #rehash(size: number): void {
    this.#table = new Int32Array(size);
    for (let seq = 0; seq < this.#count; seq++) if (this.#kind[seq] < PENDING) this.#place(seq);
  }

  #seqOf(a: number, b: number): number | undefined {
    const mask = this.#table.length - 1;
    for (let slot = a & mask; this.#table[slot] !== 0; slot = (slot + 1) & mask) {
      const seq = this.#table[slot] - 1;
      if (this.#hashA[seq] === a && this.#hashB[seq] === b) return seq;
    }
    return undefined;
  }

  /**
   * The records of a page: its stored lines in one file usually lie together (the newest page is the file's last
   * bytes), so they are read with one read when they span at most READ_SPAN bytes, else one by one.
   */
  async #readPage(seqs: readonly number[]): Promise<Array<EventRecord | undefined>> {
    const stored = seqs.filter((seq) => this.#where[seq] >= 0 && !this.#cache.has(seq));
    const file = stored.length > 0 ? this.#file[stored[0]] : -1;
    let from = Infinity;
    let to = 0;
    for (const seq of stored) {
      from = Math.min(from, this.#where[seq]);
      to = Math.max(to, this.#where[seq] + this.#length[seq]);
    }
    if (stored.length > 1 && stored.every((seq) => this.#file[seq] === file) && to - from <= READ_SPAN) {
      const bytes = Buffer.allocUnsafe(to - from);
      const { bytesRead } = await this.#files[file].handle.read(bytes, 0, bytes.length, from);
      for (const seq of stored) {
        const start = this.#where[seq] - from;
        const end = start + this.#length[seq];
        const record = end <= bytesRead ? parseRecord(bytes.toString('utf8', start, end)) : undefined;
        if (record) this.#remember(seq, record);
      }
    }
    return Promise.all(seqs.map((seq) => this.#read(seq)));
  }

  #remember(seq: number, record: EventRecord): void {
    if (this.#cache.size >= RECORD_CACHE) this.#cache.delete(this.#cache.keys().next().value as number);
    this.#cache.set(seq, record);
  }

  /** The record at `seq`: held, cached, or read back from its line (undefined if the file no longer holds it). */
  async #read(seq: number): Promise<EventRecord | undefined> {
    const where = this.#where[seq];
    if (where < 0) return this.#live[-where - 1];
    const cached = this.#cache.get(seq);
    if (cached) return cached;
    const bytes = Buffer.allocUnsafe(this.#length[seq]);
    const { bytesRead } = await this.#files[this.#file[seq]].handle.read(bytes, 0, bytes.length, where);
    const record = parseRecord(bytes.toString('utf8', 0, bytesRead));
    if (record) this.#remember(seq, record);
    return record;
  }

  async #matching(filter: ListFilter, until: number): Promise<number[]> {
    await this.#factsIn();
    const key = JSON.stringify(filter);
    const cached = this.#matches;
    if (cached && cached.key === key && cached.until === until) return cached.seqs;
    const events = new Set(filter.events.map((e) => (e === '' ? -1 : (this.#eventCode.get(e) ?? -2))));
    const kinds = new Set(filter.kinds.map((k) => KIND_CODE.get(k)));
    const byFacts = (seq: number) =>
      this.#kind[seq] < PENDING &&
      (events.size === 0 || events.has(this.#event[seq])) &&
      (kinds.size === 0 || kinds.has(this.#kind[seq]));
    const seqs: number[] = [];
    if (filter.text === '') {
      for (let seq = until; seq >= 0; seq--) if (byFacts(seq)) seqs.push(seq);
    } else {
      const candidates = await this.#textCandidates(filter.text, until, byFacts);
      for (let seq = until; seq >= 0; seq--) {
        if (!candidates[seq]) continue;
        const record = await this.#read(seq);
        if (record && matches(record, verdictKind(record), filter, () => searchText(record))) seqs.push(seq);
      }
    }
    this.#matches = { key, until, seqs };
    return seqs;
  }

  /**
   * The deliveries (up to `until`, passing `byFacts`) whose stored line holds `text` case-insensitively, as the
   * line spells it (JSON-escaped): a superset of the matches, found by a byte search through the files, so only
   * these lines are parsed. Held deliveries are all candidates.
   */
  async #textCandidates(text: string, until: number, byFacts: (seq: number) => boolean): Promise<Uint8Array> {
    const candidates = new Uint8Array(until + 1);
    for (let seq = until; seq >= 0 && this.#where[seq] < 0; seq--) if (byFacts(seq)) candidates[seq] = 1;
    const needle = JSON.stringify(text.toLowerCase()).slice(1, -1);
    // ASCII: the latin1 text of the bytes lower-cases byte for byte, so a hit's index is its byte offset. Small
    // slices: their strings die young (a text copy of each 8 MB chunk cost more memory than the whole index).
    const ascii = /^[\x20-\x7e]*$/.test(needle);
    for (let fileNo = 0; fileNo < this.#files.length; fileNo++) {
      const file = this.#files[fileNo];
      const mark = (at: number) => {
        const seq = this.#seqAt(fileNo, at);
        if (seq !== undefined && seq <= until && byFacts(seq)) candidates[seq] = 1;
      };
      await readLineChunks(
        file.handle,
        (buffer, end, at) => {
          if (ascii) {
            // Overlapping slices, so a needle across a slice's end is whole in the next one.
            for (let from = 0; from < end; from += SEARCH_SLICE - needle.length + 1) {
              const to = Math.min(end, from + SEARCH_SLICE);
              const lower = buffer.toString('latin1', from, to).toLowerCase();
              for (let hit = lower.indexOf(needle); hit !== -1; hit = lower.indexOf(needle, hit + 1)) {
                mark(at + buffer.lastIndexOf(NEWLINE, from + hit) + 1);
              }
              if (to === end) break;
            }
          } else {
            forEachLine(buffer, end, (start, stop) => {
              if (buffer.toString('utf8', start, stop).toLowerCase().includes(needle)) mark(at + start);
            });
          }
        },
        file.size,
      );
    }
    return candidates;
  }

  /** The stored delivery whose line starts at byte `at` of file `fileNo`: a binary search (seqs follow the files). */
  #seqAt(fileNo: number, at: number): number | undefined {
    let low = 0;
    let high = this.#count - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const where = this.#where[mid];
      // Held deliveries (negative) come after every stored one.
      const cmp = where < 0 ? 1 : this.#file[mid] !== fileNo ? this.#file[mid] - fileNo : where - at;
      if (cmp === 0) return mid;
      if (cmp < 0) low = mid + 1;
      else high = mid - 1;
    }
    return undefined;
  }
}

function unfiltered(filter: ListFilter): boolean {
  return filter.events.length === 0 && filter.kinds.length === 0 && filter.text === '';
}

function parseRecord(text: string): EventRecord | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isEventRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The facts of a line not laid out as listen writes it, by parsing it; undefined when it is not a record. */
function parsedFacts(buffer: Buffer, start: number, stop: number) {
  const record = parseRecord(buffer.toString('utf8', start, stop));
  if (!record) return undefined;
  const verdict = record.verdict as EventRecord['verdict'] & { ignored?: boolean };
  return {
    id: record.id,
    timeMs: Date.parse(record.receivedAt),
    event: typeof record.event === 'string' ? record.event : null,
    ok: verdict.ok === true,
    duplicate: Boolean(verdict.duplicate),
    ignored: Boolean(verdict.ignored),
  };
}

const STEPS_MS = [1, 5, 10, 30, 60, 300, 600, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86_400].map((s) => s * 1000);

/** A bucket width people read at a glance (1 s, 5 s, 1 min, 1 h …) at least as wide as `ms`. */
function niceBucket(ms: number): number {
  for (const step of STEPS_MS) if (step >= ms) return step;
  return Math.ceil(ms / 86_400_000) * 86_400_000;
}
