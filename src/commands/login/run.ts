// `login`: stores an API key in the profile. The key never has to appear in shell history: it is typed at a
// hidden prompt on a TTY, or piped in with --api-key-stdin in CI. --api-key works too, if the user chooses it.
// Before saving, one API call checks the key (--no-verify skips it), so a typo is found now, not at the next command.
import type { Context } from '../../cli/context.js';
import { AuthError, FailureError, UsageError } from '../../cli/errors.js';
import { maskKey } from '../../output/mask.js';
import { present } from '../../cli/present.js';
import { settingsOf } from '../../cli/settings.js';
import { checkApiKey, describeCheck, type KeyCheck } from '../shared/auth-check.js';
import { profileName } from '../shared/profile-name.js';
import type { LoginOptions } from './flags.js';

async function readKey(ctx: Context, options: LoginOptions): Promise<string> {
  if (options.apiKeyStdin) return (await ctx.readStdin()).toString('utf8').trim();
  if (ctx.globals.apiKey) return ctx.globals.apiKey.trim();
  if (!ctx.io.stdinIsTTY) {
    throw new UsageError('no terminal to ask for the API key on', {
      hint: 'pipe it in: `echo "$KEY" | pictify-hooks login --api-key-stdin`',
    });
  }
  return (await ctx.promptHidden('Pictify API key: ')).trim();
}

export async function run(ctx: Context, options: LoginOptions): Promise<void> {
  const key = await readKey(ctx, options);
  if (!key) throw new UsageError('empty API key', { hint: 'copy the key from the Pictify dashboard and try again' });
  if (/\s/.test(key)) throw new UsageError('the API key contains whitespace', { hint: 'paste just the key' });
  const profile = profileName(ctx);
  const { baseUrl } = await settingsOf(ctx);

  let check: KeyCheck | undefined;
  if (!options.noVerify) {
    try {
      check = await checkApiKey(ctx, key, baseUrl);
    } catch (error) {
      // A rejected key is an AuthError (exit 4) and is not saved; anything else means we could not tell.
      if (error instanceof AuthError) {
        const hint = 'nothing was saved; copy the key again from the Pictify dashboard';
        throw new AuthError(error.message, { hint });
      }
      throw new FailureError(`could not check the key with ${baseUrl}: ${(error as Error).message}`, {
        hint: 'nothing was saved; try again, or save it unchecked with `login --no-verify`',
      });
    }
  }

  const config = await ctx.config();
  config.setValue(profile, 'api-key', key);
  present(
    ctx,
    {
      profile,
      apiKey: maskKey(key),
      path: config.path,
      baseUrl,
      verified: check !== undefined,
      ...(check && { subscriptions: check.subscriptions }),
    },
    (d) => [
      check ? `API key ${d.apiKey} works: ${describeCheck(check)}.` : `API key ${d.apiKey} not checked (--no-verify).`,
      `Saved to profile "${d.profile}" (${d.path}).`,
    ],
    { humanTo: 'stderr' },
  );
}
