// Builds the API client from the Context's settings. Loaded lazily: it pulls in the client (and undici on first use).
import type { Context } from './context.js';
import { createApiClient, type ApiClient } from '../api/index.js';
import { settingsOf } from './settings.js';
import { formatMs } from '../output/duration.js';
import { existingProfile } from './profiles.js';

export async function createApiForContext(ctx: Context): Promise<ApiClient> {
  const settings = await settingsOf(ctx);
  await existingProfile(ctx);
  return createApiClient({
    baseUrl: settings.baseUrl,
    apiKey: settings.apiKey,
    userAgent: `pictify-hooks/${ctx.version}`,
    maxRetryWait: settings.maxRetryWaitMs,
    timeoutMs: settings.apiTimeoutMs,
    fetchImpl: ctx.fetchImpl,
    // Waiting silently looks like a hang; say why and for how long.
    onRetry: (info) => {
      ctx.err(`${info.reason}; retrying in ${formatMs(info.delayMs)} (attempt ${info.attempt})`);
    },
  });
}
