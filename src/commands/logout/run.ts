// `logout`: forget the profile's key (and say so when PICTIFY_API_KEY still supplies one).
import type { Context } from '../../cli/context.js';
import { present } from '../../cli/present.js';
import { existingProfile } from '../../cli/profiles.js';
import { settingsOf } from '../../cli/settings.js';
import { maskKey } from '../../output/mask.js';
import { errStyle } from '../shared/styles.js';

export async function run(ctx: Context): Promise<void> {
  await existingProfile(ctx);
  const config = await ctx.config();
  const settings = await settingsOf(ctx);
  const stored = config.profile(settings.profile).apiKey;
  if (stored) config.unsetValue(settings.profile, 'api-key');
  const stillFromEnv = ctx.env.PICTIFY_API_KEY ? 'PICTIFY_API_KEY' : undefined;
  present(
    ctx,
    { profile: settings.profile, removed: stored ? maskKey(stored) : null, path: config.path },
    (d) =>
      d.removed
        ? `Removed API key ${d.removed} from profile "${d.profile}" (${d.path}).`
        : `No API key was stored in profile "${d.profile}"; nothing to remove.`,
    { humanTo: 'stderr' },
  );
  if (stillFromEnv) {
    ctx.err(errStyle(ctx).yellow(`  ${stillFromEnv} is still set in this shell: commands keep using that key.`));
  }
}
