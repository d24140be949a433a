// `auth status`: which key is in use, where it comes from (flag, env, profile), which API it talks to, and whether
// that API accepts it.
import type { Context } from '../../cli/context.js';
import type { StatusOptions } from './flags.js';
import { AuthError, FailureError } from '../../cli/errors.js';
import { present, wantsJson } from '../../cli/present.js';
import { maskKey } from '../../output/mask.js';
import { settingsOf, type Source } from '../../cli/settings.js';
import { existingProfile } from '../../cli/profiles.js';
import { checkApiKey, describeCheck, type KeyCheck } from '../shared/auth-check.js';
import { errStyle } from '../shared/styles.js';

/** "from --api-key", "from PICTIFY_BASE_URL", "stored in the profile". */
function sourceText(source: Source, flag: string, envVar: string): string {
  if (source === 'flag') return `from ${flag}`;
  if (source === 'env') return `from ${envVar}`;
  if (source === 'profile') return 'stored in the profile';
  return 'default';
}

export async function runStatus(ctx: Context, options: StatusOptions): Promise<void> {
  const settings = await settingsOf(ctx);
  await existingProfile(ctx);
  const config = await ctx.config();
  const key = settings.apiKey;
  let check: KeyCheck | undefined;
  let problem: { kind: 'rejected' | 'unreachable'; message: string; hint?: string } | undefined;
  if (key && !options.noVerify) {
    try {
      check = await checkApiKey(ctx, key, settings.baseUrl);
    } catch (error) {
      const rejected = error instanceof AuthError;
      problem = {
        kind: rejected ? 'rejected' : 'unreachable',
        message: (error as Error).message,
        hint: (error as { hint?: string }).hint,
      };
    }
  }
  const accepted = check ? true : problem?.kind === 'rejected' ? false : null;

  const status = {
    profile: settings.profile,
    configPath: config.path,
    apiKey: key ? { masked: maskKey(key), source: settings.apiKeySource } : null,
    baseUrl: { value: settings.baseUrl, source: settings.baseUrlSource },
    accepted,
    ...(check && { subscriptions: check.subscriptions }),
    ...(problem && { reason: problem.message }),
  };
  present(ctx, status, (d) => {
    const e = errStyle(ctx);
    const lines: string[] = [];
    const row = (name: string, value: string) => lines.push(`${e.dim(name.padEnd(9))}  ${value}`);
    row('profile', `${d.profile} (${d.configPath})`);
    const keySource = sourceText(settings.apiKeySource ?? 'profile', '--api-key', 'PICTIFY_API_KEY');
    row('api key', d.apiKey ? `${d.apiKey.masked} ${keySource}` : 'none');
    const baseSource = sourceText(settings.baseUrlSource, '--base-url', 'PICTIFY_BASE_URL');
    row('base url', `${d.baseUrl.value}${settings.baseUrlSource === 'default' ? '' : ` (${baseSource})`}`);
    row(
      'accepted',
      !key
        ? 'no key to check'
        : check
          ? e.green(`yes — ${describeCheck(check)}`)
          : problem
            ? problem.kind === 'rejected'
              ? e.red('no')
              : e.yellow('unknown — could not reach the API')
            : 'not checked (--no-verify)',
    );
    return lines;
  });
  // Quiet in --json (stdout said it all); the exit code is what scripts read: 4 no/rejected key, 1 unreachable.
  const say = (message: string) => (wantsJson(ctx) ? '' : message);
  if (!key) {
    throw new AuthError(say('no API key'), {
      hint: 'run `pictify-hooks login`, or set PICTIFY_API_KEY',
    });
  }
  if (problem?.kind === 'rejected') throw new AuthError(say(problem.message), { hint: problem.hint });
  if (problem) throw new FailureError(say(`could not check the key: ${problem.message}`), { hint: problem.hint });
}
