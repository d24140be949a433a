// listen's memory of every delivery key in its store: a set of 64-bit fingerprints in typed arrays (open
// addressing, linear probing), ~9 bytes a slot, so a million stored deliveries (two keys each) fit in ~38 MB where a
// Map of strings would take several times that, and a lookup allocates nothing.
//
// Bounded by generations. Keys are added to the current generation; `advance()` starts a new one and forgets every
// key older than the previous one. listen advances when its store rotates (the keys of the file that rotation
// deleted are forgotten with it), and by itself when a generation reaches `maxKeysPerGeneration`, so memory stays
// bounded whatever the store's size, or with no store at all: never more than two generations are held.
//
// Fingerprints come from a hash seeded at random per process: nobody outside can make two keys collide on purpose.
// Two different keys sharing a fingerprint by chance (a new delivery taken for a duplicate) is about one in 2^64
// per stored key.
import { randomBytes } from 'node:crypto';

/** Keys per generation before a new one starts (≈ 1,000,000 deliveries of two keys). */
export const DEFAULT_MAX_KEYS_PER_GENERATION = 2_000_000;
const MIN_CAPACITY = 1024;
/** Grow past this fill: linear probing stays short below it. */
const MAX_LOAD = 0.7;

/** A key's fingerprint: the two 32-bit halves of its seeded hash. */
export type Fingerprint = readonly [number, number];

export interface KeyIndexOptions {
  maxKeysPerGeneration?: number;
}

export class KeyIndex {
  readonly #maxPerGeneration: number;
  readonly #seedHi: number;
  readonly #seedLo: number;
  // A slot is empty when both halves are 0; a fingerprint is never 0 (see #hash).
  #hi = new Uint32Array(MIN_CAPACITY);
  #lo = new Uint32Array(MIN_CAPACITY);
  /** The generation each slot's key was added in, modulo 256 (only the last two are ever live). */
  #gen = new Uint8Array(MIN_CAPACITY);
  #mask = MIN_CAPACITY - 1;
  #size = 0;
  #generation = 0;
  #inGeneration = 0;
  /** The fingerprint #hash computed last: two numbers without an allocation. */
  #fpHi = 0;
  #fpLo = 0;

  constructor(options: KeyIndexOptions = {}) {
    this.#maxPerGeneration = Math.max(1, options.maxKeysPerGeneration ?? DEFAULT_MAX_KEYS_PER_GENERATION);
    const seed = randomBytes(8);
    this.#seedHi = seed.readUInt32LE(0);
    this.#seedLo = seed.readUInt32LE(4);
  }

  /** Keys held. */
  get size(): number {
    return this.#size;
  }

  /** Bytes the table takes. */
  get bytes(): number {
    return this.#hi.byteLength + this.#lo.byteLength + this.#gen.byteLength;
  }

  has(key: string): boolean {
    this.#hash(key);
    return this.#find() >= 0;
  }

  add(key: string): void {
    this.#hash(key);
    this.#addHashed();
  }

  /**
   * The fingerprint of `key` (two 32-bit halves), for `hasFingerprint` and `addFingerprint`: a key checked on
   * arrival and added once accepted is hashed once.
   */
  fingerprint(key: string): Fingerprint {
    this.#hash(key);
    return [this.#fpHi, this.#fpLo];
  }

  hasFingerprint(fingerprint: Fingerprint): boolean {
    [this.#fpHi, this.#fpLo] = fingerprint;
    return this.#find() >= 0;
  }

  addFingerprint(fingerprint: Fingerprint): void {
    [this.#fpHi, this.#fpLo] = fingerprint;
    this.#addHashed();
  }

  /** Adds the fingerprint #hash computed (or set) last. */
  #addHashed(): void {
    const at = this.#find();
    if (at >= 0) {
      // Seen again: it now lives as long as the current generation.
      if (this.#gen[at] !== (this.#generation & 0xff)) {
        this.#gen[at] = this.#generation & 0xff;
        this.#counted();
      }
      return;
    }
    if ((this.#size + 1) / (this.#mask + 1) > MAX_LOAD) this.#rebuild(this.#mask + 1 + (this.#mask + 1), false);
    this.#insert(this.#fpHi, this.#fpLo, this.#generation & 0xff);
    this.#size += 1;
    this.#counted();
  }

  /** Starts a new generation; keys added before the previous one are forgotten. */
  advance(): void {
    this.#generation += 1;
    this.#inGeneration = 0;
    let live = 0;
    const previous = (this.#generation - 1) & 0xff;
    for (let i = 0; i <= this.#mask; i++) if ((this.#hi[i] | this.#lo[i]) !== 0 && this.#gen[i] === previous) live++;
    if (live === this.#size) return;
    let capacity = MIN_CAPACITY;
    while (live / capacity > MAX_LOAD / 2) capacity *= 2;
    this.#rebuild(capacity, true);
  }

  #counted(): void {
    if (++this.#inGeneration >= this.#maxPerGeneration) this.advance();
  }

  /** The slot holding the last hashed fingerprint, or -1. */
  #find(): number {
    const hi = this.#fpHi;
    const lo = this.#fpLo;
    const mask = this.#mask;
    for (let i = lo & mask; ; i = (i + 1) & mask) {
      const h = this.#hi[i];
      const l = this.#lo[i];
      if (h === hi && l === lo) return i;
      if ((h | l) === 0) return -1;
    }
  }

  #insert(hi: number, lo: number, gen: number): void {
    const mask = this.#mask;
    let i = lo & mask;
    while ((this.#hi[i] | this.#lo[i]) !== 0) i = (i + 1) & mask;
    this.#hi[i] = hi;
    this.#lo[i] = lo;
    this.#gen[i] = gen;
  }

  /** Copies the keys into a table of `capacity` slots; `dropOld` leaves out keys older than the previous generation. */
  #rebuild(capacity: number, dropOld: boolean): void {
    const [hi, lo, gen, mask] = [this.#hi, this.#lo, this.#gen, this.#mask];
    const current = this.#generation & 0xff;
    const previous = (this.#generation - 1) & 0xff;
    this.#hi = new Uint32Array(capacity);
    this.#lo = new Uint32Array(capacity);
    this.#gen = new Uint8Array(capacity);
    this.#mask = capacity - 1;
    this.#size = 0;
    for (let i = 0; i <= mask; i++) {
      if ((hi[i] | lo[i]) === 0) continue;
      if (dropOld && gen[i] !== current && gen[i] !== previous) continue;
      this.#insert(hi[i], lo[i], gen[i]);
      this.#size += 1;
    }
  }

  /** Two 32-bit lanes of a murmur3-style string hash with this process's seeds, each finished with fmix32. */
  #hash(key: string): void {
    let h1 = this.#seedHi ^ key.length;
    let h2 = this.#seedLo ^ Math.imul(key.length, 0x9e3779b1);
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0xcc9e2d51);
      h1 = (h1 << 15) | (h1 >>> 17);
      h2 = Math.imul(h2 ^ c, 0x1b873593);
      h2 = (h2 << 13) | (h2 >>> 19);
      h2 = (Math.imul(h2, 5) + 0xe6546b64) | 0;
    }
    h1 = fmix32(h1 ^ h2);
    h2 = fmix32(h2 + h1);
    this.#fpHi = h1 >>> 0;
    this.#fpLo = h2 >>> 0 || 1;
  }
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
