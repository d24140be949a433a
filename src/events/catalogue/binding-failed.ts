// binding.failed — a live binding could not fetch its data; Pictify retries. Source: docs.pictify.io
// guides/webhook-integration.
import { opt, req, type DeliveryData, type Envelope, type EventEntry } from './entry.js';

export interface BindingFailedData extends DeliveryData {
  bindingId: string;
  error: string;
  retryCount?: number;
  /** ISO 8601. */
  nextRetry?: string | null;
}

export type BindingFailedEvent = Envelope<'binding.failed', BindingFailedData>;

export const bindingFailed: EventEntry<'binding.failed', BindingFailedData> = {
  name: 'binding.failed',
  subscribable: true,
  fields: {
    bindingId: req('string'),
    error: req('string'),
    retryCount: opt('integer'),
    nextRetry: opt('datetime'),
    deliveryId: opt('string'),
  },
  sample: {
    bindingId: 'bind_abc123',
    error: 'Data source returned 500',
    retryCount: 3,
    nextRetry: '2026-01-29T11:00:00Z',
    deliveryId: 'del_sample_binding_failed',
  },
  // A retry is announced for later.
  timesFromNow: { nextRetry: 30 * 60 },
  describe: (data, brief) => ({
    binding: brief(data.bindingId),
    error: brief(data.error),
    retry: brief(data.retryCount),
  }),
};
