// Subscription filters as the commands and the MCP tools take them: the filters object a POST or PUT sends, and the
// client-side filters the list endpoint lacks (template, binding, type, a url substring).
import type { Subscription } from './types.js';

export interface FilterFields {
  templateId?: string;
  bindingId?: string;
  type?: string;
}

/** The `filters` object to send, or undefined when none was given. */
export function filtersFrom(options: FilterFields) {
  const filters = { templateId: options.templateId, bindingId: options.bindingId, type: options.type };
  const defined = Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined));
  return Object.keys(defined).length ? defined : undefined;
}

type Filters = Record<string, string>;

/**
 * The filters to PUT, or undefined when none were touched. PUT replaces the whole object, so the current filters
 * are the base (changing the template keeps a binding); `''` removes one filter, `clearFilters` all of them.
 */
export async function nextFilters(
  options: FilterFields & { clearFilters?: boolean },
  current: () => Promise<Filters | undefined>,
): Promise<Filters | undefined> {
  const given = filtersFrom(options) as Filters | undefined;
  if (!given && !options.clearFilters) return undefined;
  const merged: Filters = { ...(options.clearFilters ? {} : ((await current()) ?? {})), ...given };
  return Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== ''));
}

/** The filters the API cannot apply, applied to what it returned. */
export function matchesClientFilters(sub: Subscription, options: FilterFields & { url?: string }): boolean {
  const f = sub.filters ?? {};
  if (options.templateId && f.templateId !== options.templateId) return false;
  if (options.bindingId && f.bindingId !== options.bindingId) return false;
  if (options.type && f.type !== options.type) return false;
  if (options.url && !sub.targetUrl.includes(options.url)) return false;
  return true;
}
