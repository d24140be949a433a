// The profile keys `config get|set|unset` may touch. Its own module: `config`'s spec lists them at start-up, when
// the config store (config.ts) is not loaded.
import type { ProfileData } from './config.js';

/** Keys `config get|set|unset` may touch, with what each holds. */
export const PROFILE_KEYS = {
  'api-key': 'apiKey',
  'base-url': 'baseUrl',
  'max-retry-wait': 'maxRetryWait',
} as const satisfies Record<string, keyof ProfileData>;
export type ProfileKey = keyof typeof PROFILE_KEYS;
