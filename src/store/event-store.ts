// The append-only JSONL event store behind `listen`. Group commit: appends made during one turn of the event loop
// are written with a single write(), and each append resolves only once its batch is in the file, so a
// receiver that answers after `await store.append()` never acknowledges an event it has not written.
// Survives kill -9: a torn last line is skipped by the reader, and the writer starts on a fresh line.
import { mkdir, open, rename, stat, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { EventRecord } from './event-store-record.js';

export const DEFAULT_STORE_MAX_BYTES = 50 * 1024 * 1024;
export const STORE_FILE_NAME = 'events.jsonl';
const REMOVAL_CHECK_MS = 1000;

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
}

interface Pending {
  line: string;
  resolve: () => void;
  reject: (error: Error) => void;
}

export class EventStore {
  readonly file: string;
  readonly maxBytes: number;
  #handle: FileHandle;
  #size: number;
  /** The file ends without a newline (a torn write): the next batch starts with one. */
  #needsNewline: boolean;
  #queue: Pending[] = [];
  #scheduled = false;
  #writing: Promise<void> | null = null;
  #closed = false;
  #appended = 0;
  #checkedAt = 0;

  private constructor(file: string, handle: FileHandle, size: number, needsNewline: boolean, maxBytes: number) {
    this.file = file;
    this.#handle = handle;
    this.#size = size;
    this.#needsNewline = needsNewline;
    this.maxBytes = maxBytes;
  }

  static async open(file: string, options: EventStoreOptions = {}): Promise<EventStore> {
    await mkdir(dirname(file), { recursive: true });
    const { handle, size, needsNewline } = await openForAppend(file);
    return new EventStore(file, handle, size, needsNewline, options.maxBytes ?? DEFAULT_STORE_MAX_BYTES);
  }

  /** Records appended by this writer so far. */
  get appended(): number {
    return this.#appended;
  }

  /** Resolves once the record is written to the file. */
  append(record: EventRecord): Promise<void> {
    if (this.#closed) return Promise.reject(new Error(`the event store ${this.file} is closed`));
    const line = `${JSON.stringify(record)}\n`;
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ line, resolve, reject });
      if (!this.#scheduled && this.#writing === null) {
        this.#scheduled = true;
        // setImmediate, not a microtask: requests parsed in the same I/O phase join one batch.
        setImmediate(() => void this.#drain());
      }
    });
  }

  /** Resolves when every append made so far is written. */
  async flush(): Promise<void> {
    while (this.#writing !== null || this.#queue.length > 0) {
      if (this.#writing !== null) await this.#writing;
      else await this.#drain();
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    await this.flush();
    this.#closed = true;
    await this.#handle.close();
  }

  #drain(): Promise<void> {
    this.#scheduled = false;
    if (this.#writing !== null) return this.#writing;
    if (this.#queue.length === 0) return Promise.resolve();
    const batch = this.#queue;
    this.#queue = [];
    this.#writing = this.#writeBatch(batch).finally(() => {
      this.#writing = null;
      // Appends that arrived while this batch was being written form the next batch.
      if (this.#queue.length > 0 && !this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => void this.#drain());
      }
    });
    return this.#writing;
  }

  async #writeBatch(batch: Pending[]): Promise<void> {
    let text = this.#needsNewline ? '\n' : '';
    for (const p of batch) text += p.line;
    const data = Buffer.from(text, 'utf8');
    let offset = 0;
    try {
      // Someone removed the file (a cleanup script, `rm events.jsonl`): writing on would feed a deleted inode.
      // Looked at once a second, not per batch: an fstat per batch shows up in throughput.
      const t = Date.now();
      if (t - this.#checkedAt >= REMOVAL_CHECK_MS) {
        this.#checkedAt = t;
        if ((await this.#handle.stat()).nlink === 0) await this.#reopen();
      }
      if (this.#size > 0 && this.#size + data.length > this.maxBytes) await this.#rotate();
      while (offset < data.length) {
        const { bytesWritten } = await this.#handle.write(data, offset, data.length - offset);
        offset += bytesWritten;
      }
      this.#size += data.length;
      this.#needsNewline = false;
      this.#appended += batch.length;
      for (const p of batch) p.resolve();
    } catch (error) {
      // A write can fail after some of its bytes landed, even when none were reported.
      await this.#discardTornWrite(offset);
      const err = new Error(`could not write the event store ${this.file}: ${(error as Error).message}`, {
        cause: error,
      });
      for (const p of batch) p.reject(err);
    }
  }

  /**
   * A batch failed part-way (disk full): its bytes would glue the next, acknowledged record onto a torn line.
   * Cut them off; if even that fails, make sure the next batch starts on a fresh line.
   */
  async #discardTornWrite(written: number): Promise<void> {
    try {
      await this.#handle.truncate(this.#size);
    } catch {
      this.#size += written;
      this.#needsNewline = true;
    }
  }

  async #rotate(): Promise<void> {
    // rename replaces the previous .1: exactly one older file is kept. The open handle follows the renamed
    // file, so until the new one is open nothing is lost; a file removed under us just starts afresh.
    try {
      await rename(this.file, rotatedPath(this.file));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    await this.#reopen();
  }

  async #reopen(): Promise<void> {
    const reopened = await openForAppend(this.file);
    const previous = this.#handle;
    this.#handle = reopened.handle;
    this.#size = reopened.size;
    this.#needsNewline = reopened.needsNewline;
    await previous.close().catch(() => undefined);
  }
}

async function openForAppend(file: string): Promise<{ handle: FileHandle; size: number; needsNewline: boolean }> {
  // 0600: bodies and headers may carry customer data.
  const handle = await open(file, 'a+', 0o600);
  try {
    const { size } = await stat(file);
    let needsNewline = false;
    if (size > 0) {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      needsNewline = last[0] !== 0x0a;
    }
    return { handle, size, needsNewline };
  } catch (error) {
    await handle.close();
    throw error;
  }
}
