// Registers what the Context hands out (see ContextServices in context.ts): types only, nothing is loaded here.
// The Node implementation loads both lazily, on a command's first use.
import type { ApiClient } from '../api/index.js';
import type { ConfigStore } from '../store/config.js';

declare module './context.js' {
  interface ContextServices {
    config: ConfigStore;
    api: ApiClient;
  }
}
