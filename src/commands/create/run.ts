// `create`: makes a subscription and keeps its one-time secret. The secret is written to the config BEFORE it is
// printed, so a crash or a closed terminal between the two can never lose it.

import type { Subscription } from '../../api/index.js';
import type { Context } from '../../cli/context.js';
import { currentApi } from '../shared/resolve-secrets.js';
import { SilentError } from '../../cli/errors.js';
import { parseHttpUrl } from '../../cli/flags.js';
import { warnIfPlainHttp } from '../shared/plain-http.js';
import { profileName } from '../shared/profile-name.js';
import { errStyle } from '../shared/styles.js';
import { present } from '../../cli/present.js';
import { renderSubscriptionDetail } from '../shared/subscription-view.js';
import type { CreateOptions } from './flags.js';
import { filtersFrom } from '../../api/filters.js';
import { notSubscribable } from '../../events/names.js';

export async function run(ctx: Context, options: CreateOptions): Promise<void> {
  const url = parseHttpUrl(options.url, '--url');
  warnIfPlainHttp(ctx, url);
  const elsewhere = notSubscribable([options.event]);
  if (elsewhere) ctx.err(errStyle(ctx).yellow(`warning: ${elsewhere}`));
  const api = await ctx.api();
  const sub = await api.createSubscription({
    event: options.event,
    // The parsed url, so `localhost:4700/x` reaches the API as http://localhost:4700/x (one rule for every url flag).
    targetUrl: url.href,
    platform: options.platform,
    filters: filtersFrom(options),
  });
  const saved = await saveSecret(ctx, sub);
  // The one place a secret is printed in full: it came from the API once and is not shown again.
  present(ctx, { ...sub, storedIn: saved.path ?? null }, (safe) => {
    const detail = renderSubscriptionDetail(ctx, safe);
    return safe.secret ? [detail, `${errStyle(ctx).dim('secret'.padEnd(13))}  ${safe.secret}`] : detail;
  });
  if (saved.error) {
    ctx.err(
      errStyle(ctx).red.bold(
        `WARNING: the secret above could NOT be saved (${saved.error}). Copy it now: Pictify will not show it again.`,
      ),
    );
    throw new SilentError();
  }
  if (saved.path) {
    ctx.err(
      `Secret saved to ${saved.path} (profile "${profileName(ctx)}"). Pictify will not show it again; this saved copy is what \`pictify-hooks secrets show ${sub.uid} --reveal\` prints.`,
    );
  } else {
    ctx.err(
      errStyle(ctx).yellow(
        'warning: the API returned no secret for this subscription; add it with `pictify-hooks secrets set` if you have it',
      ),
    );
  }
}

async function saveSecret(ctx: Context, sub: Subscription): Promise<{ path?: string; error?: string }> {
  if (!sub.secret) return {};
  try {
    const config = await ctx.config();
    config.saveSecret(profileName(ctx), sub.uid, {
      secret: sub.secret,
      event: sub.event,
      targetUrl: sub.targetUrl,
      baseUrl: await currentApi(ctx),
      createdAt: sub.createdAt ?? new Date(ctx.now()).toISOString(),
    });
    return { path: config.path };
  } catch (error) {
    return { error: (error as Error).message };
  }
}
