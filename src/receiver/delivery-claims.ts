// listen's duplicate check, by a delivery's keys (deliveryKeys(): its verified v1 values and its delivery id, so the
// same signed bytes under a new X-Pictify-Delivery-Id are the same delivery). Accepted keys live in a KeyIndex —
// seeded at start from the whole store, rotated file included, so retries are recognised across restarts for as
// long as the store keeps their first copy — and keys being processed right now in a small map: a copy that
// arrives while its first is still in flight (a sender retrying a slow answer, or sending twice at once) waits for
// that first's outcome instead of being processed again.
import { scanStoredKeys } from '../store/event-store-keys.js';
import { KeyIndex, type Fingerprint, type KeyIndexOptions } from './key-index.js';

/** `claim`'s answer: already accepted, yours to process (then `settle` it), or wait for the first copy's outcome. */
export type Claim = 'seen' | 'first' | Promise<AcceptedStatus>;
/** The status the first copy was answered with when it was accepted (and stored), else null: try again. */
export type AcceptedStatus = number | null;

type Waiters = Array<(status: AcceptedStatus) => void>;

export class DeliveryClaims {
  readonly accepted: KeyIndex;
  /** In flight, per key: its fingerprint, hashed when it was claimed and added to `accepted` when it settles. */
  readonly #inFlight = new Map<string, Fingerprint>();
  /** The copies waiting for a key in flight (the usual delivery has none, and allocates no list). */
  readonly #waiting = new Map<string, Waiters>();

  constructor(options: KeyIndexOptions = {}) {
    this.accepted = new KeyIndex(options);
  }

  /** Keys being processed right now. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  /** Call once per verified delivery; after 'first', `settle(keys, …)` must follow, whatever happens. */
  claim(keys: readonly string[]): Claim {
    // Each key is hashed once: the fingerprint that found it absent is the one added when the delivery settles.
    const fingerprints = keys.map((key) => this.accepted.fingerprint(key));
    for (const fingerprint of fingerprints) if (this.accepted.hasFingerprint(fingerprint)) return 'seen';
    for (const key of keys) {
      if (!this.#inFlight.has(key)) continue;
      return new Promise<AcceptedStatus>((resolve) => {
        const waiting = this.#waiting.get(key);
        if (waiting === undefined) this.#waiting.set(key, [resolve]);
        else waiting.push(resolve);
      });
    }
    for (let i = 0; i < keys.length; i++) this.#inFlight.set(keys[i]!, fingerprints[i]!);
    return 'first';
  }

  /** The first copy's outcome: its keys remembered when accepted, and passed to every copy that waited for it. */
  settle(keys: readonly string[], accepted: AcceptedStatus): void {
    for (const key of keys) {
      const fingerprint = this.#inFlight.get(key);
      this.#inFlight.delete(key);
      if (accepted !== null) {
        if (fingerprint === undefined) this.accepted.add(key);
        else this.accepted.addFingerprint(fingerprint);
      }
      const waiting = this.#waiting.get(key);
      if (waiting === undefined) continue;
      this.#waiting.delete(key);
      for (const resolve of waiting) resolve(accepted);
    }
  }

  remember(keys: readonly string[]): void {
    for (const key of keys) this.accepted.add(key);
  }
}

/**
 * Claims seeded with the keys of every delivery the store at `file` acknowledged (its rotated file, then the current
 * one, each its own generation: the next rotation forgets the rotated file's keys as it deletes the file).
 */
export async function claimsFromStore(file: string | null, options: KeyIndexOptions = {}): Promise<DeliveryClaims> {
  const claims = new DeliveryClaims(options);
  if (file === null) return claims;
  let files = 0;
  await scanStoredKeys(
    file,
    () => {
      if (files++ > 0) claims.accepted.advance();
    },
    (keys) => claims.remember(keys),
  );
  return claims;
}
