import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../../src/cli/flags.js';
import { DEFAULT_BASE_URL, resolveSettings } from '../../../src/cli/settings.js';

describe('resolveSettings precedence: flag > env > profile > default', () => {
  const profile = { apiKey: 'pk_profile', baseUrl: 'http://profile.test', maxRetryWait: '5s' };
  const env = { PICTIFY_API_KEY: 'pk_env', PICTIFY_BASE_URL: 'http://env.test', PICTIFY_MAX_RETRY_WAIT: '7s' };

  it('flag wins', () => {
    const s = resolveSettings({ apiKey: 'pk_flag', baseUrl: 'http://flag.test', maxRetryWait: '1s' }, env, profile);
    expect(s).toMatchObject({
      apiKey: 'pk_flag',
      apiKeySource: 'flag',
      baseUrl: 'http://flag.test',
      maxRetryWaitMs: 1000,
    });
  });
  it('env beats profile', () => {
    expect(resolveSettings({}, env, profile)).toMatchObject({
      apiKey: 'pk_env',
      apiKeySource: 'env',
      baseUrl: 'http://env.test',
      maxRetryWaitMs: 7000,
    });
  });
  it('profile beats default', () => {
    expect(resolveSettings({}, {}, profile)).toMatchObject({
      apiKey: 'pk_profile',
      apiKeySource: 'profile',
      baseUrl: 'http://profile.test',
      maxRetryWaitMs: 5000,
    });
  });
  it('defaults', () => {
    const s = resolveSettings({}, {}, {});
    expect(s).toMatchObject({
      profile: 'default',
      apiKey: undefined,
      baseUrl: DEFAULT_BASE_URL,
      baseUrlSource: 'default',
      maxRetryWaitMs: 30_000,
    });
  });
  it('profile name: flag > env > default', () => {
    expect(resolveSettings({ profile: 'a' }, { PICTIFY_PROFILE: 'b' }, {}).profile).toBe('a');
    expect(resolveSettings({}, { PICTIFY_PROFILE: 'b' }, {}).profile).toBe('b');
  });
  it('empty env values do not override the profile', () => {
    expect(resolveSettings({}, { PICTIFY_API_KEY: '' }, profile).apiKey).toBe('pk_profile');
  });
  it('rejects a bad base url and a bad duration', () => {
    expect(() => resolveSettings({ baseUrl: 'nope' }, {}, {})).toThrow(/invalid base url/);
    expect(() => parseDuration('soon', '--max-retry-wait')).toThrow(/invalid duration/);
    expect(parseDuration('250ms', 'x')).toBe(250);
    expect(parseDuration('2m', 'x')).toBe(120_000);
  });
});
