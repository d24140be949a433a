// `config get|set|unset|list|path`: per-profile settings. The API key is masked in `list`; `get api-key` prints it
// because asking for exactly that key is asking to see it.

import type { Context } from '../../cli/context.js';
import { NotFoundError, UsageError } from '../../cli/errors.js';
import { maskKey } from '../../output/mask.js';
import { present } from '../../cli/present.js';
import { renderTable } from '../../output/table.js';
import { configFilePath } from '../../store/config-dir.js';
import { PROFILE_KEYS, type ProfileKey } from '../../store/profile-keys.js';
import { parseDuration } from '../../cli/flags.js';
import { validateBaseUrl } from '../../cli/settings.js';
import { profileName } from '../shared/profile-name.js';
import { existingProfile } from '../../cli/profiles.js';
import { closest } from '../../cli/suggest.js';

const KEYS = Object.keys(PROFILE_KEYS) as ProfileKey[];

function parseKey(key: string): ProfileKey {
  if (!(KEYS as string[]).includes(key)) {
    const match = closest(key, KEYS);
    const list = `use one of: ${KEYS.join(', ')}`;
    throw new UsageError(`unknown config key "${key}"`, { hint: match ? `did you mean ${match}? (${list})` : list });
  }
  return key as ProfileKey;
}

function validateValue(key: ProfileKey, value: string): string {
  if (key === 'base-url') return validateBaseUrl(value);
  if (key === 'max-retry-wait') parseDuration(value, key, { min: 0 });
  if (key === 'api-key' && value.trim() !== value) throw new UsageError('the API key has surrounding whitespace');
  return value;
}

export async function runGet(ctx: Context, key: string): Promise<void> {
  const k = parseKey(key);
  await existingProfile(ctx);
  const value = (await ctx.config()).profile(profileName(ctx))[PROFILE_KEYS[k]];
  // Unset is "not found", in both modes: a script's `value=$(pictify-hooks config get …)` must notice.
  present(ctx, { key: k, value: value ?? null }, (d) => (d.value === null ? undefined : String(d.value)));
  if (value === undefined) {
    throw new NotFoundError(`${k} is not set in profile "${profileName(ctx)}"`, {
      hint: `set it with \`pictify-hooks config set ${k} <value>\``,
    });
  }
}

export async function runSet(ctx: Context, key: string, value: string): Promise<void> {
  const k = parseKey(key);
  const config = await ctx.config();
  const stored = validateValue(k, value);
  config.setValue(profileName(ctx), k, stored);
  present(
    ctx,
    { profile: profileName(ctx), key: k, value: k === 'api-key' ? maskKey(stored) : stored, path: config.path },
    (d) => `Set ${d.key} in profile "${d.profile}" (${d.path}).`,
    { humanTo: 'stderr' },
  );
}

export async function runUnset(ctx: Context, key: string): Promise<void> {
  const k = parseKey(key);
  await existingProfile(ctx);
  const config = await ctx.config();
  config.unsetValue(profileName(ctx), k);
  present(
    ctx,
    { profile: profileName(ctx), key: k, value: null, path: config.path },
    (d) => `Unset ${d.key} in profile "${d.profile}".`,
    { humanTo: 'stderr' },
  );
}

export async function runList(ctx: Context): Promise<void> {
  await existingProfile(ctx);
  const config = await ctx.config();
  const name = profileName(ctx);
  const profile = config.profile(name);
  const rows = KEYS.map((k) => {
    const raw = profile[PROFILE_KEYS[k]];
    const shown = raw === undefined ? undefined : k === 'api-key' ? maskKey(String(raw)) : String(raw);
    return { key: k, value: shown ?? null };
  });
  const secretCount = Object.keys(profile.secrets ?? {}).length;
  const listing = {
    profile: name,
    path: config.path,
    profiles: config.profileNames(),
    values: Object.fromEntries(rows.map((r) => [r.key, r.value])),
    secrets: secretCount,
  };
  present(
    ctx,
    { ...listing, rows },
    (d) => {
      ctx.err(`profile "${d.profile}" · ${d.path}`);
      return renderTable(
        ['key', 'value'],
        [...d.rows.map((r) => [r.key, r.value ?? '(not set)']), ['secrets', `${d.secrets} stored`]],
      );
    },
    { json: listing },
  );
}

export async function runPath(ctx: Context): Promise<void> {
  const path = configFilePath(ctx.configDir());
  present(ctx, { path }, (d) => d.path);
}
