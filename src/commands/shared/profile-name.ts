// The profile a command works in: --profile, else PICTIFY_PROFILE, else the configured default.
import type { Context } from '../../cli/context.js';
import { resolveProfileName } from '../../cli/settings.js';

export function profileName(ctx: Context): string {
  return resolveProfileName(ctx.globals, ctx.env);
}
