// Precedence for every setting: flag > env > profile config > default. Pure, so it is unit-tested directly.
import { UsageError } from './errors.js';
import { parseDuration, parseHttpUrl } from './flags.js';
import { DEFAULT_MAX_RETRY_WAIT_MS, DEFAULT_TIMEOUT_MS as DEFAULT_API_TIMEOUT_MS } from '../api/retry.js';
import type { Context, Env, GlobalOptions } from './context.js';
import type { ProfileData } from '../store/config.js';

export const DEFAULT_BASE_URL = 'https://api.pictify.io';
export const DEFAULT_PROFILE = 'default';

export type Source = 'flag' | 'env' | 'profile' | 'default';

export interface Settings {
  profile: string;
  apiKey?: string;
  apiKeySource?: Source;
  baseUrl: string;
  baseUrlSource: Source;
  maxRetryWaitMs: number;
  /** Per API attempt. */
  apiTimeoutMs: number;
}

export function resolveProfileName(globals: GlobalOptions, env: Env): string {
  return globals.profile || env.PICTIFY_PROFILE || DEFAULT_PROFILE;
}

function pick(flag: string | undefined, envValue: string | undefined, profileValue: string | undefined) {
  if (flag) return { value: flag, source: 'flag' as const };
  if (envValue) return { value: envValue, source: 'env' as const };
  if (profileValue) return { value: profileValue, source: 'profile' as const };
  return undefined;
}

export function resolveSettings(globals: GlobalOptions, env: Env, profileData: ProfileData): Settings {
  const profile = resolveProfileName(globals, env);
  const key = pick(globals.apiKey, env.PICTIFY_API_KEY, profileData.apiKey);
  const base = pick(globals.baseUrl, env.PICTIFY_BASE_URL, profileData.baseUrl);
  const wait = pick(globals.maxRetryWait, env.PICTIFY_MAX_RETRY_WAIT, profileData.maxRetryWait);
  const timeout = pick(globals.apiTimeout, env.PICTIFY_API_TIMEOUT, undefined);
  return {
    profile,
    apiKey: key?.value,
    apiKeySource: key?.source,
    baseUrl: validateBaseUrl(base?.value ?? DEFAULT_BASE_URL),
    baseUrlSource: base?.source ?? 'default',
    maxRetryWaitMs: wait ? parseDuration(wait.value, '--max-retry-wait', { min: 0 }) : DEFAULT_MAX_RETRY_WAIT_MS,
    apiTimeoutMs: timeout ? parseApiTimeout(timeout.value, timeout.source) : DEFAULT_API_TIMEOUT_MS,
  };
}

/** The current profile's settings, as the Context's flags and env resolve them (opens the config). */
export async function settingsOf(ctx: Context): Promise<Settings> {
  const config = await ctx.config();
  return resolveSettings(ctx.globals, ctx.env, config.profile(resolveProfileName(ctx.globals, ctx.env)));
}

/** An http(s) base url without trailing slashes; `localhost:4010` means http://localhost:4010. */
export function validateBaseUrl(value: string): string {
  let url: URL;
  try {
    url = parseHttpUrl(value, 'base url');
  } catch (error) {
    const detail = (error as Error).message.replace(/^base url: /, '');
    throw new UsageError(`invalid base url "${value}": ${detail}`, {
      hint: 'give a full url such as https://api.pictify.io',
    });
  }
  return (/^https?:\/\//i.test(value.trim()) ? value.trim() : url.href).replace(/\/+$/, '');
}

function parseApiTimeout(value: string, source: Source): number {
  return parseDuration(value, source === 'env' ? 'PICTIFY_API_TIMEOUT' : '--api-timeout');
}
