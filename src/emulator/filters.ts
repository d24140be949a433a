// Which subscriptions get an event: active ones for that event whose every filter equals the event's data.
// A filter on a field the event does not carry does not match: a filter narrows, it never widens.
import type { Filters, StoredSubscription } from './types.js';

/** The data field(s) each filter is compared with; batch and binding events name the template `templateUid`. */
const FILTER_FIELDS: Record<keyof Filters, string[]> = {
  templateId: ['templateId', 'templateUid'],
  bindingId: ['bindingId'],
  type: ['type'],
};

export function filtersMatch(filters: Filters, data: Record<string, unknown>): boolean {
  for (const [key, wanted] of Object.entries(filters) as [keyof Filters, string | undefined][]) {
    if (wanted === undefined || wanted === '') continue;
    const fields = FILTER_FIELDS[key];
    if (!fields) continue;
    const actual = fields.map((f) => data[f]).find((v) => v !== undefined && v !== null);
    if (actual === undefined || String(actual) !== wanted) return false;
  }
  return true;
}

export function matchingSubscriptions(
  subscriptions: readonly StoredSubscription[],
  event: string,
  data: Record<string, unknown>,
): StoredSubscription[] {
  return subscriptions.filter((s) => s.status === 'active' && s.event === event && filtersMatch(s.filters, data));
}
