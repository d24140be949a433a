// `get <uid>`: one subscription, with its delivery counters.

import type { Context } from '../../cli/context.js';
import { present } from '../../cli/present.js';

import { renderSubscriptionDetail, withMaskedSecret } from '../shared/subscription-view.js';

export async function run(ctx: Context, uid: string): Promise<void> {
  const sub = await (await ctx.api()).getSubscription(uid);
  present(ctx, withMaskedSecret(sub), (safe) => renderSubscriptionDetail(ctx, safe));
}
