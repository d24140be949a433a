// `delete <uid>`: asks on a TTY, needs --yes otherwise (a CI job must say what it means), then forgets the secret.

import type { Context } from '../../cli/context.js';
import { SilentError, UsageError } from '../../cli/errors.js';
import { profileName } from '../shared/profile-name.js';
import { present } from '../../cli/present.js';
import { ApiError } from '../../errors.js';
import type { DeleteOptions } from './flags.js';

export async function run(ctx: Context, uid: string, options: DeleteOptions): Promise<void> {
  if (!options.yes) {
    if (!ctx.io.stdinIsTTY || !ctx.io.stderrIsTTY) {
      throw new UsageError(`refusing to delete ${uid} without confirmation`, { hint: 'add --yes' });
    }
    if (!(await ctx.confirm(`Delete subscription ${uid}? Pictify stops delivering to it.`))) {
      ctx.err('Nothing deleted.');
      throw new SilentError();
    }
  }
  try {
    await (await ctx.api()).deleteSubscription(uid);
  } catch (error) {
    // Already gone at Pictify (deleted in the dashboard, or an emulator restarted): its secret verifies nothing
    // any more, so it goes too. Nothing stored for it either: the 404 stands (exit 1).
    if (!(error instanceof ApiError) || error.status !== 404) throw error;
    if (!(await ctx.config()).removeSecret(profileName(ctx), uid)) throw error;
    present(
      ctx,
      { uid, deleted: false, alreadyGone: true, secretRemoved: true },
      (d) => `${d.uid} was already gone at Pictify; removed its stored secret.`,
      { humanTo: 'stderr' },
    );
    return;
  }
  const removed = (await ctx.config()).removeSecret(profileName(ctx), uid);
  present(
    ctx,
    { uid, deleted: true, secretRemoved: removed },
    (d) => `Deleted ${d.uid}${d.secretRemoved ? ' and its stored secret' : ''}.`,
    { humanTo: 'stderr' },
  );
}
