// A profile named by --profile or PICTIFY_PROFILE must exist before a command reads from it: a typo
// (`--profile stagin`) would otherwise read as an empty profile and send the user the wrong way ("no API key — run
// login", "no secrets"). Commands that create a profile (login, config set, secrets set) and commands that were
// given all they need (sign/send/listen --secret) never ask. The implicit `default` profile always exists.
import type { Context, Env, GlobalOptions } from './context.js';
import { UsageError } from './errors.js';
import { DEFAULT_PROFILE, resolveProfileName, type Settings } from './settings.js';
import { closest } from './suggest.js';

/** The usage error for a named profile the config does not have, or undefined when there is nothing to say. */
export function unknownProfileError(
  globals: GlobalOptions,
  env: Env,
  known: readonly string[],
): UsageError | undefined {
  const name = resolveProfileName(globals, env);
  if (name === DEFAULT_PROFILE || known.includes(name)) return undefined;
  const from = globals.profile ? '' : ' (from PICTIFY_PROFILE)';
  const create = `\`pictify-hooks login --profile ${name}\` creates it`;
  const others = known.filter((p) => p !== name);
  if (others.length === 0) {
    return new UsageError(`profile "${name}"${from} does not exist`, { hint: `no profiles yet: ${create}` });
  }
  const match = closest(name, others);
  const list = `known profiles: ${others.join(', ')}`;
  return new UsageError(`profile "${name}"${from} does not exist`, {
    hint: match === undefined ? `${list}; ${create}` : `did you mean ${match}? (${list})`,
  });
}

/**
 * For commands that call the API: the named profile must exist unless the API key came from --api-key or
 * PICTIFY_API_KEY. Such a key needs nothing from the profile, and `demo` or a CI job may name a fresh one on purpose
 * (the first saved secret creates it); without one, `--profile stagin` would otherwise read as "no API key".
 */
export async function checkProfileForApi(ctx: Context, settings: Settings): Promise<void> {
  if (settings.apiKeySource !== 'flag' && settings.apiKeySource !== 'env') await existingProfile(ctx);
}

/** The profile to read from, once it is known to exist (see unknownProfileError). Opens the config. */
export async function existingProfile(ctx: Context): Promise<string> {
  const config = await ctx.config();
  const error = unknownProfileError(ctx.globals, ctx.env, config.profileNames());
  if (error) throw error;
  return resolveProfileName(ctx.globals, ctx.env);
}
