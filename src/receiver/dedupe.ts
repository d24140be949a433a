// Bounded memory of delivery ids already accepted, least recently used evicted first, plus the ids being processed
// right now: a copy that arrives while its first is still in flight (a sender retrying a slow answer, or sending
// twice at once) waits for that first's outcome instead of being processed again. A Map finds an id and a
// doubly linked list keeps the use order, so every operation is O(1). (A Set alone is not: evicting its oldest entry
// with values().next() walks over every deleted slot V8 has not compacted yet — ~10 µs per delivery at 10,000 ids.)
export const DEFAULT_DEDUPE_SIZE = 10_000;

interface Entry {
  id: string;
  older: Entry | null;
  newer: Entry | null;
}

/** `claim`'s answer: already accepted, yours to process (then `settle` it), or wait for the first copy's outcome. */
export type Claim = 'seen' | 'first' | Promise<AcceptedStatus>;
/** The status the first copy was answered with when it was accepted (and stored), else null: try again. */
export type AcceptedStatus = number | null;

export class DeliveryDedupe {
  readonly #entries = new Map<string, Entry>();
  /** In flight: the waiting copies, or null while none waits (so the usual, unique delivery allocates no list). */
  readonly #inFlight = new Map<string, Array<(status: AcceptedStatus) => void> | null>();
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

  /** Call once per verified delivery with an id; after 'first', `settle(id, …)` must follow, whatever happens. */
  claim(id: string): Claim {
    if (this.seen(id)) return 'seen';
    const waiting = this.#inFlight.get(id);
    if (waiting === undefined) {
      this.#inFlight.set(id, null);
      return 'first';
    }
    return new Promise<AcceptedStatus>((resolve) => {
      if (waiting === null) this.#inFlight.set(id, [resolve]);
      else waiting.push(resolve);
    });
  }

  /** The first copy's outcome: remembered when accepted, and passed to every copy that waited for it. */
  settle(id: string, accepted: AcceptedStatus): void {
    const waiting = this.#inFlight.get(id);
    this.#inFlight.delete(id);
    if (accepted !== null) this.remember(id);
    if (waiting) for (const resolve of waiting) resolve(accepted);
  }

  /** Deliveries being processed right now. */
  get inFlight(): number {
    return this.#inFlight.size;
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
