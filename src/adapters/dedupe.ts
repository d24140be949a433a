// Delivery-id dedupe for the library handler. Pictify retries until it sees a 2xx, so the same delivery can
// arrive again (and, after a slow answer, while the first copy is still being handled).
import { DEFAULT_DEDUPE_SIZE, DeliveryDedupe } from '../receiver/dedupe.js';

/**
 * Where handled delivery ids are kept. Two methods, so Redis (`EXISTS` / `SET … EX`) or a SQL table fit:
 * `seen` is asked before the handler runs, `remember` after it succeeded (or acknowledged).
 */
export interface DedupeStore {
  seen(deliveryId: string): boolean | Promise<boolean>;
  remember(deliveryId: string): void | Promise<void>;
}

/** In-memory, least recently used ids evicted first (10,000 by default). Per process: use a shared store when
 * several instances receive deliveries. */
export function memoryDedupe(size = DEFAULT_DEDUPE_SIZE): DedupeStore {
  const ids = new DeliveryDedupe(size);
  return { seen: (id) => ids.seen(id), remember: (id) => ids.remember(id) };
}

export type DedupeOption = boolean | DedupeStore | { size: number };

export function dedupeStoreFor(option: DedupeOption | undefined): DedupeStore | null {
  if (option === false) return null;
  if (option === undefined || option === true) return memoryDedupe();
  if ('seen' in option && 'remember' in option) return option;
  return memoryDedupe((option as { size: number }).size);
}
