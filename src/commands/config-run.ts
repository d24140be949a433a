// `config get|set|unset|list|path`: per-profile settings. The API key is masked in `list`; `get api-key` prints it
// because asking for exactly that key is asking to see it.

import type { Context } from '../cli/context.js';
import { NotFoundError, UsageError } from '../cli/errors.js';
import { maskKey } from '../output/mask.js';
import { printJson } from '../output/json.js';
import { renderTable } from '../output/table.js';
import { configFilePath, PROFILE_KEYS, type ProfileKey } from '../store/config.js';
import { parseDuration } from '../cli/flags.js';
import { validateBaseUrl } from '../cli/settings.js';
import { profileName } from './profile-name.js';
import { existingProfile } from '../cli/profiles.js';
import { closest } from '../cli/suggest.js';

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
  if (ctx.globals.json) printJson(ctx, { key: k, value: value ?? null });
  // Unset is "not found", in both modes: a script's `value=$(pictify-hooks config get …)` must notice.
  if (value === undefined) {
    throw new NotFoundError(`${k} is not set in profile "${profileName(ctx)}"`, {
      hint: `set it with \`pictify-hooks config set ${k} <value>\``,
    });
  }
  if (!ctx.globals.json) ctx.out(String(value));
}

export async function runSet(ctx: Context, key: string, value: string): Promise<void> {
  const k = parseKey(key);
  const config = await ctx.config();
  const stored = validateValue(k, value);
  config.setValue(profileName(ctx), k, stored);
  if (ctx.globals.json)
    return printJson(ctx, {
      profile: profileName(ctx),
      key: k,
      value: k === 'api-key' ? maskKey(stored) : stored,
      path: config.path,
    });
  ctx.err(`Set ${k} in profile "${profileName(ctx)}" (${config.path}).`);
}

export async function runUnset(ctx: Context, key: string): Promise<void> {
  const k = parseKey(key);
  await existingProfile(ctx);
  const config = await ctx.config();
  config.unsetValue(profileName(ctx), k);
  if (ctx.globals.json) return printJson(ctx, { profile: profileName(ctx), key: k, value: null, path: config.path });
  ctx.err(`Unset ${k} in profile "${profileName(ctx)}".`);
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
  if (ctx.globals.json) {
    return printJson(ctx, {
      profile: name,
      path: config.path,
      profiles: config.profileNames(),
      values: Object.fromEntries(rows.map((r) => [r.key, r.value])),
      secrets: secretCount,
    });
  }
  ctx.err(`profile "${name}" · ${config.path}`);
  ctx.out(
    renderTable(
      ['key', 'value'],
      [...rows.map((r) => [r.key, r.value ?? '(not set)']), ['secrets', `${secretCount} stored`]],
    ),
  );
}

export async function runPath(ctx: Context): Promise<void> {
  const path = configFilePath(ctx.configDir());
  if (ctx.globals.json) printJson(ctx, { path });
  else ctx.out(path);
}
