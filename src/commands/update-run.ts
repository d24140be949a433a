// `update <uid>`: change the target url, filters or status. The stored secret's url follows the new url, so
// `send --subscription` keeps posting where Pictify would.

import type { Context } from '../cli/context.js';
import { UsageError } from '../errors.js';
import { printJson } from '../output/json.js';
import { filtersFrom, warnIfPlainHttp } from './create-run.js';
import { parseUrl, profileName } from './kit.js';
import { renderSubscriptionDetail, withMaskedSecret } from './subscription-view.js';

export interface UpdateOptions {
  url?: string;
  templateId?: string;
  bindingId?: string;
  type?: string;
  status?: 'active' | 'paused';
}

export async function run(ctx: Context, uid: string, options: UpdateOptions): Promise<void> {
  const filters = filtersFrom(options);
  if (!options.url && !filters && !options.status) {
    throw new UsageError('nothing to update', { hint: 'give --url, --template-id, --binding-id, --type or --status' });
  }
  if (options.url) warnIfPlainHttp(ctx, parseUrl(options.url, '--url'));
  const sub = await (
    await ctx.api()
  ).updateSubscription(uid, { targetUrl: options.url, filters, status: options.status });
  if (options.url) {
    const config = await ctx.config();
    const stored = config.secret(profileName(ctx), uid);
    if (stored) config.saveSecret(profileName(ctx), uid, { ...stored, targetUrl: sub.targetUrl ?? options.url });
  }
  if (ctx.globals.json) return printJson(ctx, withMaskedSecret(sub));
  ctx.out(renderSubscriptionDetail(ctx, sub));
}
