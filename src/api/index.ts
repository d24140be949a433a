// Entry point for commands: `createApiClient(...)` gives typed subscription methods over the request core.
// Importing this module loads no HTTP library; undici is imported on the first request.

import { createHttpClient } from './http.js';
import { createSubscriptionsApi, type SubscriptionsApi } from './subscriptions.js';
import type { ApiClientOptions, RateLimitInfo } from './types.js';

export interface ApiClient extends SubscriptionsApi {
  /** X-RateLimit-* from the most recent response that carried them. */
  readonly lastRateLimit: RateLimitInfo | undefined;
  /** Closes keep-alive sockets. Optional for the CLI (idle sockets are unref'd), useful in tests and long runs. */
  close(): Promise<void>;
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const http = createHttpClient(options);
  const api = createSubscriptionsApi(http);
  return {
    ...api,
    get lastRateLimit() {
      return http.lastRateLimit;
    },
    close: () => http.close(),
  };
}

export type * from './types.js';
export type { OnPage, SubscriptionsApi } from './subscriptions.js';
export { MAX_PAGES } from './subscriptions.js';
