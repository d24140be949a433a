// `pause <uid>` / `resume <uid>`: Pictify may refuse these routes to API keys; then we say so and point to
// `update --status`, which does the same through PUT.

import type { Context } from '../../cli/context.js';
import { ApiError } from '../../errors.js';
import { present } from '../../cli/present.js';

import { renderSubscriptionDetail, withMaskedSecret } from './subscription-view.js';

export async function run(ctx: Context, which: 'pause' | 'resume', uid: string): Promise<void> {
  const api = await ctx.api();
  try {
    const sub = which === 'pause' ? await api.pauseSubscription(uid) : await api.resumeSubscription(uid);
    present(ctx, withMaskedSecret(sub), (safe) => renderSubscriptionDetail(ctx, safe));
  } catch (error) {
    if (error instanceof ApiError && error.code === 'action_refused') {
      // A 404 on the action route is either "no such route for API keys" or "no such subscription": ask.
      if (error.status === 404) await api.getSubscription(uid);
      const status = which === 'pause' ? 'paused' : 'active';
      throw new ApiError(`the API refused to ${which} ${uid} with this key (${error.message})`, {
        status: error.status,
        code: error.code,
        hint: `run \`pictify-hooks update ${uid} --status ${status}\` instead`,
      });
    }
    throw error;
  }
}
