// The profile keys `config get|set|unset` may touch. Its own module: `config`'s spec lists them at start-up, when
// the config store (config.ts) is not loaded; it imports nothing, so config.ts can import it.
/** Keys `config get|set|unset` may touch, with what each holds. */
export const PROFILE_KEYS = {
  'api-key': 'apiKey',
  'base-url': 'baseUrl',
  'max-retry-wait': 'maxRetryWait',
} as const; // each a ProfileData field: config.ts checks it
export type ProfileKey = keyof typeof PROFILE_KEYS;
