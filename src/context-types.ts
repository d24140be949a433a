// Type-only re-exports, so that context.ts names the heavy modules' types without loading them.
export type { ConfigStore as ConfigStoreLike } from './store/config.js';
export type { ApiClient as ApiClientLike } from './api/index.js';
