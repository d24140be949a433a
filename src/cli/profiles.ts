// A profile named by --profile or PICTIFY_PROFILE must exist before a command reads from it: a typo
// (`--profile stagin`) would otherwise read as an empty profile and send the user the wrong way ("no API key — run
// login", "no secrets", or the API of the default base url with the env's key). One rule, here, for every command:
// the named profile must exist — also when the API key comes from --api-key or PICTIFY_API_KEY (as the AWS CLI
// refuses an unknown --profile whatever the env holds). Two exceptions: commands that create a profile (login,
// config set, secrets set) and commands that were given all they need (sign/send --secret) never ask; and a config
// with no profiles at all, given its key by flag or env, is a fresh CI runner naming the profile its subscriptions
// file selects — there is nothing to mistype against, and the first saved secret creates it.
import type { Context, Env, GlobalOptions } from './context.js';
import { UsageError } from './errors.js';
import { DEFAULT_PROFILE, resolveProfileName } from './settings.js';
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

/** The profile to read from, once it is known to exist (see the rule above). Opens the config. */
export async function existingProfile(ctx: Context): Promise<string> {
  const config = await ctx.config();
  const known = config.profileNames();
  const error = unknownProfileError(ctx.globals, ctx.env, known);
  const freshRunner = known.length === 0 && Boolean(ctx.globals.apiKey || ctx.env.PICTIFY_API_KEY);
  if (error && !freshRunner) throw error;
  return resolveProfileName(ctx.globals, ctx.env);
}
