// `update <uid>`: change the target url, filters or status. The stored secret's url follows the new url, so
// `send --subscription` keeps posting where Pictify would.

import type { Context } from '../../cli/context.js';
import { UsageError } from '../../cli/errors.js';
import { filtersFrom, nextFilters } from '../../api/filters.js';
import { warnIfPlainHttp } from '../shared/plain-http.js';
import { present } from '../../cli/present.js';
import { parseHttpUrl } from '../../cli/flags.js';
import { profileName } from '../shared/profile-name.js';
import { renderSubscriptionDetail, withMaskedSecret } from '../shared/subscription-view.js';
import type { UpdateOptions } from './flags.js';

type Filters = Record<string, string>;

export async function run(ctx: Context, uid: string, options: UpdateOptions): Promise<void> {
  const touchesFilters = options.clearFilters || filtersFrom(options) !== undefined;
  if (!options.url && !touchesFilters && !options.status) {
    throw new UsageError('nothing to update', {
      hint: 'give --url, --template-id, --binding-id, --type, --clear-filters or --status',
    });
  }
  if (options.url) warnIfPlainHttp(ctx, parseHttpUrl(options.url, '--url'));
  const api = await ctx.api();
  const filters = await nextFilters(options, async () => (await api.getSubscription(uid)).filters as Filters);
  const sub = await api.updateSubscription(uid, { targetUrl: options.url, filters, status: options.status });
  if (options.url) {
    const config = await ctx.config();
    const stored = config.secret(profileName(ctx), uid);
    if (stored) config.saveSecret(profileName(ctx), uid, { ...stored, targetUrl: sub.targetUrl ?? options.url });
  }
  present(ctx, withMaskedSecret(sub), (safe) => renderSubscriptionDetail(ctx, safe));
}
