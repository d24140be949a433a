// binding.updated — a live binding re-rendered with new data. Source: docs.pictify.io guides/webhook-integration.
import { isJsonObject } from '../json-object.js';
import { opt, req, type Brief, type DeliveryData, type Envelope, type EventEntry, type JsonObject } from './entry.js';

export interface BindingUpdatedData extends DeliveryData {
  bindingId: string;
  templateUid?: string;
  imageUrl?: string;
  previousData?: JsonObject | null;
  newData?: JsonObject | null;
}

export type BindingUpdatedEvent = Envelope<'binding.updated', BindingUpdatedData>;

/** `title: "Old" → "New", price: 1 → 2` for the keys whose values differ. */
function dataChange(previous: unknown, next: unknown, brief: Brief): string | undefined {
  if (!isJsonObject(next)) return undefined;
  const before = isJsonObject(previous) ? previous : {};
  const changed: string[] = [];
  for (const key of new Set([...Object.keys(before), ...Object.keys(next)])) {
    const a = JSON.stringify(before[key]);
    const b = JSON.stringify(next[key]);
    if (a !== b) changed.push(`${key}: ${brief(a ?? 'unset', 24)} → ${brief(b ?? 'unset', 24)}`);
  }
  if (changed.length === 0) return 'no change';
  return changed.length > 3 ? `${changed.slice(0, 3).join(', ')} (+${changed.length - 3})` : changed.join(', ');
}

export const bindingUpdated: EventEntry<'binding.updated', BindingUpdatedData> = {
  name: 'binding.updated',
  subscribable: true,
  fields: {
    bindingId: req('string'),
    templateUid: opt('string'),
    imageUrl: opt('string'),
    previousData: opt('object'),
    newData: opt('object'),
    deliveryId: opt('string'),
  },
  sample: {
    bindingId: 'bind_abc123',
    templateUid: 'tmpl_xyz789',
    imageUrl: 'https://cdn.pictify.io/bindings/abc123.png',
    previousData: { stars: 100 },
    newData: { stars: 105 },
    deliveryId: 'del_sample_binding_updated',
  },
  timesFromNow: {},
  describe: (data, brief) => ({
    binding: brief(data.bindingId),
    change: dataChange(data.previousData, data.newData, brief),
  }),
};
