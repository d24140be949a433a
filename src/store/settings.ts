// Precedence for every setting: flag > env > profile config > default. Pure, so it is unit-tested directly.
import { UsageError } from '../errors.js';
import { DEFAULT_MAX_RETRY_WAIT_MS, DEFAULT_TIMEOUT_MS as DEFAULT_API_TIMEOUT_MS } from '../api/retry.js';
import type { Context, Env, GlobalOptions } from '../cli/context.js';
import type { ProfileData } from './config.js';

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
    maxRetryWaitMs: wait ? parseDurationMs(wait.value, '--max-retry-wait') : DEFAULT_MAX_RETRY_WAIT_MS,
    apiTimeoutMs: timeout ? parseApiTimeout(timeout.value, timeout.source) : DEFAULT_API_TIMEOUT_MS,
  };
}

/** The current profile's settings, as the Context's flags and env resolve them (opens the config). */
export async function settingsOf(ctx: Context): Promise<Settings> {
  const config = await ctx.config();
  return resolveSettings(ctx.globals, ctx.env, config.profile(resolveProfileName(ctx.globals, ctx.env)));
}

export function validateBaseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`invalid base url "${value}"`, { hint: 'give a full url such as https://api.pictify.io' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`invalid base url "${value}": only http and https are supported`);
  }
  return value.replace(/\/+$/, '');
}

function parseApiTimeout(value: string, source: Source): number {
  const name = source === 'env' ? 'PICTIFY_API_TIMEOUT' : '--api-timeout';
  const ms = parseDurationMs(value, name);
  if (ms < 1) throw new UsageError(`${name}: must be more than 0, got "${value}"`, { hint: 'e.g. 30s or 2m' });
  return ms;
}

/** "30s", "2m", "1500ms", "1h" or a bare number of seconds → milliseconds. */
export function parseDurationMs(value: string, flag: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/i.exec(value);
  if (!match) {
    throw new UsageError(`${flag}: invalid duration "${value}"`, {
      hint: 'use a number of seconds or 500ms, 30s, 5m, 1h',
    });
  }
  const n = Number(match[1]);
  const unit = (match[2] ?? 's').toLowerCase();
  const factor = unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000;
  const ms = Math.round(n * factor);
  if (!Number.isFinite(ms)) throw new UsageError(`${flag}: "${value}" is too large`);
  return ms;
}
