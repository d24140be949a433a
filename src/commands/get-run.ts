// `get <uid>`: one subscription, with its delivery counters.

import type { Context } from '../cli/context.js';
import { printJson } from '../output/json.js';

import { renderSubscriptionDetail, withMaskedSecret } from './subscription-view.js';

export async function run(ctx: Context, uid: string): Promise<void> {
  const sub = await (await ctx.api()).getSubscription(uid);
  if (ctx.globals.json) return printJson(ctx, withMaskedSecret(sub));
  ctx.out(renderSubscriptionDetail(ctx, sub));
}
