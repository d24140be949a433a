// `get <uid>`: one subscription, with its delivery counters.
import type { Command } from 'commander';
import type { Context } from '../cli/context.js';
import { printJson } from '../output/json.js';
import { examples } from './kit.js';
import { renderSubscriptionDetail, withMaskedSecret } from './subscription-view.js';

export async function run(ctx: Context, uid: string): Promise<void> {
  const sub = await (await ctx.api()).getSubscription(uid);
  if (ctx.globals.json) return printJson(ctx, withMaskedSecret(sub));
  ctx.out(renderSubscriptionDetail(ctx, sub));
}

export function register(program: Command, ctx: Context): void {
  const cmd = program
    .command('get')
    .argument('<uid>', 'subscription uid')
    .description('Show one subscription')
    .action((uid: string) => run(ctx, uid));
  examples(cmd, ['pictify-hooks get wh_123', 'pictify-hooks get wh_123 --json']);
}
