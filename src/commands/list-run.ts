// `list`: subscriptions with the API's filters (event/status/platform) plus client-side ones the API lacks
// (template, binding, type, url substring). --all walks every page.

import type { Subscription } from '../api/index.js';
import type { Context } from '../cli/context.js';
import { printJson } from '../output/json.js';
import { startSpinner } from '../output/spinner.js';

import { profileName } from './kit.js';
import { renderSubscriptionTable, withMaskedSecret } from './subscription-view.js';

export interface ListOptions {
  event?: string;
  status?: string;
  platform?: string;
  templateId?: string;
  bindingId?: string;
  type?: string;
  url?: string;
  all?: boolean;
  limit?: number;
  page?: number;
}

export function matchesClientFilters(sub: Subscription, options: ListOptions): boolean {
  const f = sub.filters ?? {};
  if (options.templateId && f.templateId !== options.templateId) return false;
  if (options.bindingId && f.bindingId !== options.bindingId) return false;
  if (options.type && f.type !== options.type) return false;
  if (options.url && !sub.targetUrl.includes(options.url)) return false;
  return true;
}

export async function run(ctx: Context, options: ListOptions): Promise<void> {
  const api = await ctx.api();
  const serverFilters = { event: options.event, status: options.status, platform: options.platform };
  let subs: Subscription[];
  let footer = '';
  if (options.all) {
    const spinner = await startSpinner(ctx, 'Fetching subscriptions…');
    try {
      subs = await api.listAllSubscriptions({ ...serverFilters, limit: options.limit ?? 100 }, (_page, p) =>
        spinner.text(`Fetching subscriptions… page ${p.page}/${p.totalPages}`),
      );
    } finally {
      spinner.stop();
    }
  } else {
    const page = await api.listSubscriptions({ ...serverFilters, page: options.page, limit: options.limit });
    subs = page.subscriptions;
    const p = page.pagination;
    if (p.hasNext)
      footer = `Page ${p.page} of ${p.totalPages} (${p.total} in all). Add --all for every page, or --page ${p.page + 1}.`;
  }
  subs = subs.filter((s) => matchesClientFilters(s, options));
  const temporary = await temporaryMarks(ctx);
  if (ctx.globals.json) {
    const view = (s: Subscription) => {
      const masked = withMaskedSecret(s);
      return temporary.has(s.uid) ? { ...masked, temporary: temporary.get(s.uid) } : masked;
    };
    return printJson(ctx, subs.map(view));
  }
  if (subs.length === 0) {
    ctx.err('No subscriptions match. Create one with `pictify-hooks create --event <event> --url <url>`.');
    return;
  }
  ctx.out(renderSubscriptionTable(ctx, subs));
  const shown = subs.filter((s) => temporary.has(s.uid));
  if (shown.length > 0) {
    const notes = shown.map((s) => {
      const t = temporary.get(s.uid)!;
      const state = t.running ? ', running' : t.running === false ? ', gone: `pictify-hooks cleanup` deletes it' : '';
      return `${s.uid} (listen pid ${t.pid} on ${t.hostname}${state})`;
    });
    ctx.err(`temporary (made by listen --subscribe, deleted when it stops): ${notes.join(', ')}`);
  }
  if (footer) ctx.err(footer);
}

/** Subscriptions `listen --subscribe` made for itself, from the stored secrets; none if the config is unreadable. */
async function temporaryMarks(ctx: Context) {
  const { hostname } = await import('node:os');
  const { isProcessRunning, temporaryEntries } = await import('../receiver/tunnel/temporary.js');
  try {
    const entries = temporaryEntries((await ctx.config()).secrets(profileName(ctx)));
    const here = hostname();
    return new Map(
      entries.map((e) => [
        e.uid,
        { ...e.mark, running: e.mark.hostname === here ? isProcessRunning(e.mark.pid) : undefined },
      ]),
    );
  } catch {
    return new Map();
  }
}
