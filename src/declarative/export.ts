// `import`: the live subscriptions as a subscriptions file, so that `plan` right after finds nothing to change.
// Names come from the profile's record when it has one for a uid, else from the event and the url; each entry
// keeps its uid as a hint, so a machine without this profile's record (a CI runner) still knows which is which.
import { Document, isMap, isSeq } from 'yaml';
import type { Subscription } from '../api/index.js';
import { deriveName } from './names.js';
import { normalFilters, stateOf, type Adoption } from './plan.js';
import type { ManagedName } from './types.js';

export interface ImportEntry extends Adoption {
  /** Pictify stopped it (`failed`): the file says active, so the next apply resumes it. */
  wasFailed: boolean;
}

export interface ImportResult {
  text: string;
  entries: ImportEntry[];
}

export function exportSubscriptions(
  live: readonly Subscription[],
  managed: Readonly<Record<string, ManagedName>>,
  secretsHeld: ReadonlySet<string>,
): ImportResult {
  const known = new Map(
    Object.entries(managed)
      .filter(([, r]) => r.uid)
      .map(([name, r]) => [r.uid!, name]),
  );
  const taken = new Set(known.values());
  const sorted = [...live].sort(
    (a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? '') || a.uid.localeCompare(b.uid),
  );
  const entries: ImportEntry[] = [];
  const subscriptions = sorted.map((sub) => {
    const name = known.get(sub.uid) ?? deriveName(sub, taken);
    const filters = normalFilters(sub.filters);
    entries.push({
      name,
      uid: sub.uid,
      via: 'hint',
      secretHeld: secretsHeld.has(sub.uid),
      live: stateOf(sub),
      wasFailed: sub.status === 'failed',
    });
    return {
      name,
      event: sub.event,
      url: sub.targetUrl,
      ...(sub.platform && sub.platform !== 'custom' && { platform: sub.platform }),
      ...(Object.keys(filters).length > 0 && { filters }),
      ...(sub.status === 'paused' && { status: 'paused' }),
      uid: sub.uid,
    };
  });
  const header =
    '# Subscriptions as code: `pictify-hooks plan` shows what `pictify-hooks apply` would change.\n' +
    '# Written by `pictify-hooks import`; a name is the identity across runs, `uid` says which live one it is.\n';
  const doc = new Document({ subscriptions });
  // Filters on one line, as people write them: `filters: { templateId: tmpl_1 }`.
  const list = doc.get('subscriptions', true);
  for (const item of isSeq(list) ? list.items : []) {
    const filters = isMap(item) ? item.get('filters', true) : undefined;
    if (isMap(filters)) filters.flow = true;
  }
  const text = header + doc.toString({ lineWidth: 0, flowCollectionPadding: true });
  return { text, entries };
}
