// Which store a handler uses: the `dedupe` option (default: claims in this process's memory).
import type { DedupeStore } from './claim.js';
import { memoryDedupe } from './stores/memory.js';

export type DedupeOption = boolean | DedupeStore;

export function dedupeStoreFor(option: DedupeOption | undefined): DedupeStore | null {
  if (option === false) return null;
  if (option === undefined || option === true) return memoryDedupe();
  if (typeof option.claim !== 'function' || typeof option.complete !== 'function') {
    throw new TypeError(
      'pictify-hooks: `dedupe` must be true, false or a store with claim/complete/release ' +
        '(memoryDedupe(), redisDedupe(redis) from pictify-hooks/redis, postgresDedupe(pool) from pictify-hooks/postgres)',
    );
  }
  return option;
}
