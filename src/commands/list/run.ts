// `list`: subscriptions with the API's filters (event/status/platform) plus client-side ones the API lacks
// (template, binding, type, url substring). --all walks every page.

import type { Pagination, Subscription } from '../../api/index.js';
import type { Context } from '../../cli/context.js';
import { present, presentNote } from '../../cli/present.js';
import { formatAge } from '../../output/age.js';
import { startSpinner } from '../../output/spinner.js';

import { profileName } from '../shared/profile-name.js';
import { renderSubscriptionTable, withMaskedSecret } from '../shared/subscription-view.js';
import { MAX_LIMIT } from '../../api/contract.js';
import { matchesClientFilters } from '../../api/filters.js';
import type { ListOptions } from './flags.js';

export async function run(ctx: Context, options: ListOptions): Promise<void> {
  const api = await ctx.api();
  const serverFilters = { event: options.event, status: options.status, platform: options.platform };
  let subs: Subscription[];
  let footer = '';
  if (options.all) {
    const spinner = await startSpinner(ctx, 'Fetching subscriptions…');
    try {
      subs = await api.listAllSubscriptions({ ...serverFilters, limit: options.limit ?? MAX_LIMIT }, (_page, p) =>
        spinner.text(`Fetching subscriptions… page ${p.page}/${p.totalPages}`),
      );
    } finally {
      spinner.stop();
    }
  } else {
    const page = await api.listSubscriptions({ ...serverFilters, page: options.page, limit: options.limit });
    subs = page.subscriptions;
    footer = pageFooter(page.pagination, subs.length);
  }
  const fetched = subs.length;
  subs = subs.filter((s) => matchesClientFilters(s, options));
  const temporary = await temporaryMarks(ctx);
  type Temporary = { pid: number; hostname: string; startedAt: string; running?: boolean };
  const view = (s: Subscription): Subscription & { temporary?: Temporary } => {
    const masked = withMaskedSecret(s);
    return temporary.has(s.uid) ? { ...masked, temporary: temporary.get(s.uid) as Temporary } : masked;
  };
  const views = subs.map(view);
  // stdout keeps only data (--json: the array); what is missing from it is said on stderr, in both modes.
  present(ctx, views, (safe) => {
    if (safe.length === 0) {
      if (footer) return;
      if (fetched > 0)
        ctx.err(`None of the ${fetched} subscriptions fetched match --template-id/--binding-id/--type/--url.`);
      else ctx.err('No subscriptions match. Create one with `pictify-hooks create --event <event> --url <url>`.');
      return;
    }
    return renderSubscriptionTable(ctx, safe);
  });
  presentNote(ctx, views, (safe) => {
    const notes = safe.flatMap((s) => {
      const t = s.temporary;
      if (!t) return [];
      const state = t.running ? ', running' : t.running === false ? ', gone: `pictify-hooks cleanup` deletes it' : '';
      const age = formatAge((ctx.now() - Date.parse(t.startedAt)) / 1000);
      return [`${s.uid} (listen pid ${t.pid} on ${t.hostname}, started ${age}${state})`];
    });
    return notes.length > 0
      ? `temporary (made by listen --subscribe, deleted when it stops): ${notes.join(', ')}`
      : undefined;
  });
  if (footer) ctx.err(footer);
}

/**
 * What one page leaves out: "20 of 26 shown — --all for every page, --page 2 for the next", or that the page is
 * past the end. Empty when the page holds everything.
 */
export function pageFooter(p: Pagination, shown: number): string {
  if (p.page > Math.max(p.totalPages, 1)) {
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
    const fill = `${plural(p.total, 'subscription')} fill ${plural(p.totalPages, 'page')} of ${p.limit}`;
    return `page ${p.page} is past the end: ${fill} — try --page ${Math.max(p.totalPages, 1)} or --all`;
  }
  if (!p.hasNext && !p.hasPrev) return '';
  const first = (p.page - 1) * p.limit + 1;
  const range = p.page === 1 ? `${shown}` : `${first}–${first + shown - 1}`;
  const next = p.hasNext ? `, --page ${p.page + 1} for the next` : '';
  return `${range} of ${p.total} shown — --all for every page${next}`;
}

/** Subscriptions `listen --subscribe` made for itself, from the stored secrets; none if the config is unreadable. */
async function temporaryMarks(ctx: Context) {
  const { hostname } = await import('node:os');
  const { isProcessRunning, temporaryEntries } = await import('../../receiver/tunnel/temporary.js');
  try {
    const entries = temporaryEntries((await ctx.config()).secrets(profileName(ctx)));
    const here = hostname();
    return new Map(
      entries.map((e) => [
        e.uid,
        { ...e.mark, running: e.mark.hostname === here ? isProcessRunning(e.mark.pid, ctx.proc) : undefined },
      ]),
    );
  } catch {
    return new Map();
  }
}
