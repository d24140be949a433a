// Bounded memory of delivery ids already accepted, least recently used evicted first. A Map finds an id and a
// doubly linked list keeps the use order, so every operation is O(1). (A Set alone is not: evicting its oldest entry
// with values().next() walks over every deleted slot V8 has not compacted yet — ~10 µs per delivery at 10,000 ids.)
export const DEFAULT_DEDUPE_SIZE = 10_000;

interface Entry {
  id: string;
  older: Entry | null;
  newer: Entry | null;
}

export class DeliveryDedupe {
  readonly #entries = new Map<string, Entry>();
  readonly #capacity: number;
  #oldest: Entry | null = null;
  #newest: Entry | null = null;

  constructor(capacity = DEFAULT_DEDUPE_SIZE) {
    this.#capacity = Math.max(1, capacity);
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Whether `id` was accepted before; a hit counts as a use. */
  seen(id: string): boolean {
    const entry = this.#entries.get(id);
    if (entry === undefined) return false;
    this.#touch(entry);
    return true;
  }

  remember(id: string): void {
    let entry = this.#entries.get(id);
    if (entry !== undefined) {
      this.#touch(entry);
      return;
    }
    if (this.#entries.size >= this.#capacity && this.#oldest !== null) {
      // Reuse the evicted entry: a full dedupe allocates nothing per delivery.
      entry = this.#oldest;
      this.#unlink(entry);
      this.#entries.delete(entry.id);
      entry.id = id;
    } else {
      entry = { id, older: null, newer: null };
    }
    this.#entries.set(id, entry);
    this.#append(entry);
  }

  #touch(entry: Entry): void {
    if (entry === this.#newest) return;
    this.#unlink(entry);
    this.#append(entry);
  }

  #unlink(entry: Entry): void {
    if (entry.older) entry.older.newer = entry.newer;
    else this.#oldest = entry.newer;
    if (entry.newer) entry.newer.older = entry.older;
    else this.#newest = entry.older;
    entry.older = entry.newer = null;
  }

  #append(entry: Entry): void {
    entry.older = this.#newest;
    if (this.#newest) this.#newest.newer = entry;
    else this.#oldest = entry;
    this.#newest = entry;
  }
}
