// Builds the API client from the Context's settings. Loaded lazily: it pulls in the client (and undici on first use).
import type { Context } from './context.js';
import { createApiClient, type ApiClient } from '../api/index.js';
import { settingsOf } from './settings.js';
import { checkProfileForApi } from './profiles.js';

export async function createApiForContext(ctx: Context): Promise<ApiClient> {
  const settings = await settingsOf(ctx);
  await checkProfileForApi(ctx, settings);
  return createApiClient({
    baseUrl: settings.baseUrl,
    apiKey: settings.apiKey,
    userAgent: `pictify-hooks/${ctx.version}`,
    maxRetryWait: settings.maxRetryWaitMs,
    timeoutMs: settings.apiTimeoutMs,
    fetchImpl: ctx.fetchImpl,
    // Waiting silently looks like a hang; say why and for how long.
    onRetry: (info) => {
      const wait = info.delayMs < 1000 ? `${Math.round(info.delayMs)}ms` : `${(info.delayMs / 1000).toFixed(1)}s`;
      ctx.err(`${info.reason}; retrying in ${wait} (attempt ${info.attempt})`);
    },
  });
}
