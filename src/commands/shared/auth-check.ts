// One cheap API call that tells whether a key works (login, auth status): the first page of subscriptions, one
// item long. The answer names the account only by what the API lets a key see: how many subscriptions it has.
import type { Context } from '../../cli/context.js';
import { AuthError } from '../../cli/errors.js';
import { maskKey } from '../../output/mask.js';
import { settingsOf } from '../../cli/settings.js';

export interface KeyCheck {
  baseUrl: string;
  /** How many subscriptions the key can see (pagination.total). */
  subscriptions: number;
}

/** Resolves when the API accepts `key`; throws AuthError (exit 4) with the API's reason when it does not. */
export async function checkApiKey(ctx: Context, key: string, baseUrl: string): Promise<KeyCheck> {
  const [{ createApiClient }, settings] = await Promise.all([import('../../api/index.js'), settingsOf(ctx)]);
  const api = createApiClient({
    baseUrl,
    apiKey: key,
    userAgent: `pictify-hooks/${ctx.version}`,
    maxRetryWait: settings.maxRetryWaitMs,
    fetchImpl: ctx.fetchImpl,
  });
  try {
    const page = await api.listSubscriptions({ limit: 1 });
    return { baseUrl, subscriptions: page.pagination.total };
  } catch (error) {
    if (error instanceof AuthError) {
      throw new AuthError(`${baseUrl} rejected the API key ${maskKey(key)}: ${error.message}`, { hint: error.hint });
    }
    throw error;
  } finally {
    await api.close();
  }
}

/** "works for an account with 3 subscriptions" */
export function describeCheck(check: KeyCheck): string {
  const n = check.subscriptions;
  return `${check.baseUrl} accepts it (the account has ${n} subscription${n === 1 ? '' : 's'})`;
}
