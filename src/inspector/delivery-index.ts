// The inspector's in-memory view of the event store: every record in arrival order, looked up by id, filtered and
// paged newest first. Filtering runs here, not in the page, so 10,000 bodies never travel to the browser.
import type { EventRecord } from '../store/event-store-record.js';
import { matches, searchText, summarize, type DeliverySummary, type ListFilter, type VerdictKind } from './summary.js';

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

interface Entry {
  record: EventRecord;
  kind: VerdictKind;
  timeMs: number;
  haystack?: string;
}

const HISTOGRAM_BUCKETS = 60;

export class DeliveryIndex {
  readonly #entries: Entry[] = [];
  readonly #byId = new Map<string, number>();
  /** The last query's matches (seqs, newest first), reused while the filter and snapshot stay the same. */
  #cache: { key: string; until: number; seqs: number[] } | undefined;

  get size(): number {
    return this.#entries.length;
  }

  /** Adds a record; returns its summary, or undefined when that id is already known (the tail re-read it). */
  add(record: EventRecord): DeliverySummary | undefined {
    if (this.#byId.has(record.id)) return undefined;
    const seq = this.#entries.length;
    this.#entries.push({ record, kind: summarize(record, seq).kind, timeMs: Date.parse(record.receivedAt) });
    this.#byId.set(record.id, seq);
    return summarize(record, seq);
  }

  /**
   * Builds the lower-cased search text of every record in small slices between other work, so the first search
   * over a large store does not pay for all of them at once.
   */
  prepareSearch(slice = 500): Promise<void> {
    return new Promise((resolve) => {
      let next = 0;
      const step = () => {
        const end = Math.min(next + slice, this.#entries.length);
        for (; next < end; next++) this.#entries[next].haystack ??= searchText(this.#entries[next].record);
        if (next < this.#entries.length) setImmediate(step);
        else resolve();
      };
      setImmediate(step);
    });
  }

  get(id: string): { record: EventRecord; seq: number } | undefined {
    const seq = this.#byId.get(id);
    return seq === undefined ? undefined : { record: this.#entries[seq].record, seq };
  }

  /** The delivery of the same event type received just before this one (what "diff" compares against). */
  previousOfSameEvent(id: string): EventRecord | undefined {
    const seq = this.#byId.get(id);
    if (seq === undefined) return undefined;
    const event = this.#entries[seq].record.event;
    if (event === null) return undefined;
    for (let i = seq - 1; i >= 0; i--) {
      const r = this.#entries[i].record;
      if (r.event === event && !r.bodyOmitted) return r;
    }
    return undefined;
  }

  /** Event names present in the store, sorted, for the filter menu. */
  eventNames(): string[] {
    const names = new Set<string>();
    for (const e of this.#entries) if (e.record.event !== null) names.add(e.record.event);
    return [...names].sort();
  }

  list(filter: ListFilter, options: { offset?: number; limit?: number; until?: number } = {}): ListPage {
    const until = Math.min(options.until ?? this.#entries.length - 1, this.#entries.length - 1);
    const seqs = this.#matching(filter, until);
    const offset = Math.max(0, options.offset ?? 0);
    const limit = Math.min(Math.max(1, options.limit ?? 100), 1000);
    const items = seqs.slice(offset, offset + limit).map((seq) => summarize(this.#entries[seq].record, seq));
    return { total: seqs.length, stored: until + 1, until, offset, items };
  }

  histogram(filter: ListFilter, until = this.#entries.length - 1): Histogram {
    const seqs = this.#matching(filter, Math.min(until, this.#entries.length - 1));
    const empty = (): Record<VerdictKind, number> => ({ ok: 0, failed: 0, duplicate: 0, ignored: 0 });
    if (seqs.length === 0) return { startMs: 0, bucketMs: 60_000, buckets: [] };
    let min = Infinity;
    let max = -Infinity;
    for (const seq of seqs) {
      const t = this.#entries[seq].timeMs;
      if (!Number.isFinite(t)) continue;
      if (t < min) min = t;
      if (t > max) max = t;
    }
    if (!Number.isFinite(min)) return { startMs: 0, bucketMs: 60_000, buckets: [] };
    const bucketMs = niceBucket((max - min) / HISTOGRAM_BUCKETS);
    const startMs = Math.floor(min / bucketMs) * bucketMs;
    const count = Math.floor((max - startMs) / bucketMs) + 1;
    const buckets = Array.from({ length: count }, empty);
    for (const seq of seqs) {
      const e = this.#entries[seq];
      if (!Number.isFinite(e.timeMs)) continue;
      buckets[Math.floor((e.timeMs - startMs) / bucketMs)][e.kind] += 1;
    }
    return { startMs, bucketMs, buckets };
  }

  #matching(filter: ListFilter, until: number): number[] {
    const key = JSON.stringify(filter);
    const cached = this.#cache;
    if (cached && cached.key === key && cached.until === until) return cached.seqs;
    const seqs: number[] = [];
    const unfiltered = filter.events.length === 0 && filter.kinds.length === 0 && filter.text === '';
    for (let seq = until; seq >= 0; seq--) {
      const e = this.#entries[seq];
      if (unfiltered || matches(e.record, e.kind, filter, () => (e.haystack ??= searchText(e.record)))) seqs.push(seq);
    }
    this.#cache = { key, until, seqs };
    return seqs;
  }
}

const STEPS_MS = [1, 5, 10, 30, 60, 300, 600, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86_400].map((s) => s * 1000);

/** A bucket width people read at a glance (1 s, 5 s, 1 min, 1 h …) at least as wide as `ms`. */
function niceBucket(ms: number): number {
  for (const step of STEPS_MS) if (step >= ms) return step;
  return Math.ceil(ms / 86_400_000) * 86_400_000;
}
