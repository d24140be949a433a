// The append-only JSONL event store behind `listen`. Group commit: appends made during one turn of the event loop
// are written with a single write(), and each append resolves only once its batch is in the file *at the store's
// path*, so a receiver that answers after `await store.append()` never acknowledges an event it has not written.
// A batch that landed in a file someone removed or moved away meanwhile is written again into a fresh file at the
// path; while no file can be (re)opened there (a read-only folder), appends fail, and the receiver answers 5xx.
// Survives kill -9: a torn last line is skipped by the reader, and the writer starts on a fresh line.
// With `durable`, each batch is also fsynced before it resolves, so an acknowledged event survives power loss.
// Without it, a batch is written with one synchronous write(): into the page cache that takes microseconds, less
// than the trip through libuv's thread pool an asynchronous write costs (two thread hand-offs and a promise per
// batch, which on a busy machine were most of the store's CPU per delivery). fsync is the slow part, so the durable
// mode keeps the asynchronous path and the event loop keeps reading requests (the next batch) while a batch syncs.
import fs, { statSync } from 'node:fs';
import { mkdir, open, rename, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { recordLine, type EventRecord } from './event-store-record.js';
import { FLAGS, openRegular } from './regular-file.js';

export { openFailure } from './regular-file.js';

export const DEFAULT_STORE_MAX_BYTES = 50 * 1024 * 1024;
export const STORE_FILE_NAME = 'events.jsonl';

/** Fresh files a batch is written into, at most, when the one at the path goes away under it. */
const REWRITE_ATTEMPTS = 3;

export function defaultStorePath(configDir: string): string {
  return join(configDir, STORE_FILE_NAME);
}

/** The one previous file kept by rotation. */
export function rotatedPath(file: string): string {
  return `${file}.1`;
}

export interface EventStoreOptions {
  /** Rotate before a write would take the file past this size. */
  maxBytes?: number;
  /** fsync (fdatasync) each batch before its appends resolve; a new file's folder is synced too. */
  durable?: boolean;
  /** The store stopped taking records (appends now fail): called once per outage. */
  onUnavailable?: (error: Error) => void;
  /** It takes records again after an outage. */
  onRecovered?: () => void;
}

/** The appends of one turn of the event loop: one text, one promise every one of them awaits. */
interface Batch {
  text: string;
  count: number;
  done: Promise<void>;
  resolve: () => void;
  reject: (error: Error) => void;
}

function newBatch(): Batch {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const done = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Every append awaits `done`; this keeps a failed batch nobody awaits any more from being an unhandled rejection.
  done.catch(() => undefined);
  return { text: '', count: 0, done, resolve, reject };
}

interface OpenFile {
  handle: FileHandle;
  size: number;
  /** The file ends without a newline (a torn write): the next write starts with one. */
  needsNewline: boolean;
  ino: number;
  dev: number;
}

export class EventStore {
  readonly file: string;
  readonly maxBytes: number;
  readonly durable: boolean;
  readonly #options: EventStoreOptions;
  /** null while no file can be opened at the path: the next batch tries again. */
  #current: OpenFile | null;
  /** Appends waiting for the next write, or null when there are none. */
  #queue: Batch | null = null;
  #scheduled = false;
  #writing: Promise<void> | null = null;
  #closed = false;
  #appended = 0;
  #rotations = 0;
  #unavailable: Error | null = null;

  private constructor(file: string, current: OpenFile, options: EventStoreOptions) {
    this.file = file;
    this.#current = current;
    this.maxBytes = options.maxBytes ?? DEFAULT_STORE_MAX_BYTES;
    this.durable = options.durable ?? false;
    this.#options = options;
  }

  static async open(file: string, options: EventStoreOptions = {}): Promise<EventStore> {
    return new EventStore(file, await openAtPath(file, options.durable ?? false), options);
  }

  /** Records appended by this writer so far. */
  get appended(): number {
    return this.#appended;
  }

  /** Times this writer rotated the file (each one deleted the previous rotated file). */
  get rotations(): number {
    return this.#rotations;
  }

  /** Why appends fail right now, or null when the store takes records. */
  get unavailable(): Error | null {
    return this.#unavailable;
  }

  /** Resolves once the record is written to the file at the store's path. */
  append(record: EventRecord): Promise<void> {
    return this.appendLine(recordLine(record));
  }

  /** `append` for a record already serialised by `recordLine` (one line of JSON, no newline). */
  appendLine(line: string): Promise<void> {
    if (this.#closed) return Promise.reject(new Error(`the event store ${this.file} is closed`));
    const batch = (this.#queue ??= newBatch());
    batch.text += `${line}\n`;
    batch.count += 1;
    if (!this.#scheduled && this.#writing === null) {
      this.#scheduled = true;
      // setImmediate, not a microtask: requests parsed in the same I/O phase join one batch.
      setImmediate(this.#drainSoon);
    }
    return batch.done;
  }

  readonly #drainSoon = () => void this.#drain();

  /** Resolves when every append made so far is written. */
  async flush(): Promise<void> {
    while (this.#writing !== null || this.#queue !== null) {
      if (this.#writing !== null) await this.#writing;
      else await this.#drain();
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    await this.flush();
    this.#closed = true;
    await this.#current?.handle.close();
    this.#current = null;
  }

  #drain(): Promise<void> {
    this.#scheduled = false;
    if (this.#writing !== null) return this.#writing;
    const batch = this.#queue;
    if (batch === null) return Promise.resolve();
    this.#queue = null;
    const data = Buffer.from(batch.text, 'utf8');
    const current = this.#current;
    let written = false;
    // The usual batch: the file is open, has room, and the write is synchronous — done before this returns.
    if (!this.durable && current !== null && !(current.size > 0 && current.size + data.length > this.maxBytes)) {
      let error: unknown;
      let atPath = false;
      try {
        this.#writeIntoSync(current, data);
        atPath = isAtPath(this.file, current);
      } catch (e) {
        error = e;
      }
      if (atPath) {
        this.#written(batch);
        return Promise.resolve();
      }
      if (error !== undefined) {
        this.#failed(batch, error);
        return Promise.resolve();
      }
      written = true; // into a file that is not at the path any more: the slow path writes it into a fresh one
    }
    this.#writing = this.#writeBatch(batch, data, written).finally(() => {
      this.#writing = null;
      // Appends that arrived while this batch was being written form the next batch.
      if (this.#queue !== null && !this.#scheduled) {
        this.#scheduled = true;
        setImmediate(this.#drainSoon);
      }
    });
    return this.#writing;
  }

  #written(batch: Batch): void {
    this.#appended += batch.count;
    batch.resolve();
    if (this.#unavailable !== null) {
      this.#unavailable = null;
      this.#options.onRecovered?.();
    }
  }

  #failed(batch: Batch, error: unknown): void {
    const err = new Error(`could not write the event store ${this.file}: ${(error as Error).message}`, {
      cause: error,
    });
    batch.reject(err);
    if (this.#unavailable === null) {
      this.#unavailable = err;
      this.#options.onUnavailable?.(err);
    }
  }

  /** Rotation, a file to (re)open, a durable write: the asynchronous path. */
  async #writeBatch(batch: Batch, data: Buffer, movedAway: boolean): Promise<void> {
    try {
      let current = this.#current ?? (await this.#reopen());
      if (current.size > 0 && current.size + data.length > this.maxBytes) current = await this.#rotate();
      if (!movedAway) await this.#writeInto(current, data);
      // One stat per batch, not per delivery: the batch counts only if its file is still the one at the path (a
      // cleanup script may have removed it, or moved it away, while listen runs); if not, it goes into a fresh file
      // there. A removal can also land between that file's open and its check (`rm` in a loop), so this is tried a
      // few times; a path that keeps vanishing under every write fails the batch: its senders get a 500 and retry.
      for (let attempt = 0; movedAway || !isAtPath(this.file, current); attempt++) {
        if (attempt === REWRITE_ATTEMPTS) throw new Error('the file was removed again while being written');
        movedAway = false;
        current = await this.#reopen();
        await this.#writeInto(current, data);
      }
    } catch (error) {
      this.#failed(batch, error);
      return;
    }
    this.#written(batch);
  }

  #writeIntoSync(current: OpenFile, data: Buffer): void {
    let offset = 0;
    const fd = current.handle.fd;
    try {
      if (current.needsNewline) {
        fs.writeSync(fd, '\n');
        current.size += 1;
        current.needsNewline = false;
      }
      while (offset < data.length) offset += fs.writeSync(fd, data, offset, data.length - offset);
      current.size += data.length;
    } catch (error) {
      // A write can fail after some of its bytes landed, even when none were reported.
      try {
        fs.ftruncateSync(fd, current.size);
      } catch {
        current.size += offset;
        current.needsNewline = true;
      }
      throw error;
    }
  }

  async #writeInto(current: OpenFile, data: Buffer): Promise<void> {
    if (!this.durable) return this.#writeIntoSync(current, data);
    let offset = 0;
    try {
      if (current.needsNewline) {
        await current.handle.write('\n');
        current.size += 1;
        current.needsNewline = false;
      }
      while (offset < data.length) {
        const { bytesWritten } = await current.handle.write(data, offset, data.length - offset);
        offset += bytesWritten;
      }
      if (this.durable) await current.handle.datasync();
      current.size += data.length;
    } catch (error) {
      // A write can fail after some of its bytes landed, even when none were reported.
      await discardTornWrite(current, offset);
      throw error;
    }
  }

  async #rotate(): Promise<OpenFile> {
    // rename replaces the previous .1: exactly one older file is kept. The open handle follows the renamed
    // file, so until the new one is open nothing is lost; a file removed under us just starts afresh.
    try {
      await rename(this.file, rotatedPath(this.file));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    this.#rotations += 1;
    return this.#reopen();
  }

  /** Opens the file at the path anew (creating it, and its folder), dropping the one we had. */
  async #reopen(): Promise<OpenFile> {
    const previous = this.#current;
    this.#current = null;
    await previous?.handle.close().catch(() => undefined);
    this.#current = await openAtPath(this.file, this.durable);
    return this.#current;
  }
}

/** Synchronous: a stat of a cached path costs about a microsecond, a trip through the thread pool far more. */
function isAtPath(file: string, current: OpenFile): boolean {
  const st = statSync(file, { throwIfNoEntry: false });
  return st !== undefined && st.ino === current.ino && st.dev === current.dev;
}

/**
 * A batch failed part-way (disk full): its bytes would glue the next, acknowledged record onto a torn line.
 * Cut them off; if even that fails, make sure the next batch starts on a fresh line.
 */
async function discardTornWrite(current: OpenFile, written: number): Promise<void> {
  try {
    await current.handle.truncate(current.size);
  } catch {
    current.size += written;
    current.needsNewline = true;
  }
}

async function openAtPath(file: string, durable: boolean): Promise<OpenFile> {
  // 0700 and 0600: bodies and headers may carry customer data. Only a regular file: never a link's target, a FIFO.
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const handle = await openRegular(file, FLAGS.append, 0o600);
  try {
    const { size, ino, dev } = await handle.stat();
    let needsNewline = false;
    if (size > 0) {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      needsNewline = last[0] !== 0x0a;
    }
    if (durable) await syncFolder(dirname(file));
    return { handle, size, needsNewline, ino, dev };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** A new file survives power loss only once its folder entry is on disk too. */
async function syncFolder(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
