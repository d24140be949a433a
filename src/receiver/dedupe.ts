// Bounded memory of delivery ids already accepted: a Set keeps insertion order, so the oldest id is the first one
// and eviction is O(1). Recently seen ids are refreshed, making it an LRU.
export const DEFAULT_DEDUPE_SIZE = 10_000;

export class DeliveryDedupe {
  readonly #ids = new Set<string>();
  readonly #capacity: number;

  constructor(capacity = DEFAULT_DEDUPE_SIZE) {
    this.#capacity = Math.max(1, capacity);
  }

  get size(): number {
    return this.#ids.size;
  }

  /** Whether `id` was accepted before; a hit counts as a use. */
  seen(id: string): boolean {
    if (!this.#ids.has(id)) return false;
    this.#ids.delete(id);
    this.#ids.add(id);
    return true;
  }

  remember(id: string): void {
    if (this.#ids.has(id)) this.#ids.delete(id);
    else if (this.#ids.size >= this.#capacity) {
      const oldest = this.#ids.values().next().value;
      if (oldest !== undefined) this.#ids.delete(oldest);
    }
    this.#ids.add(id);
  }
}
