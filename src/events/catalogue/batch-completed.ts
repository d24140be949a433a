// batch.completed — a batch render finished. Source: docs.pictify.io api-reference/batch. The API reference does not
// list it for subscriptions: a batch's result goes to the webhookUrl given on the batch request.
import {
  opt,
  req,
  type Brief,
  type DeliveryData,
  type Envelope,
  type EventEntry,
  type JsonObject,
  type Open,
} from './entry.js';

export type BatchStatus = Open<'pending' | 'processing' | 'completed' | 'partial' | 'failed' | 'cancelled'>;

export interface BatchCompletedData extends DeliveryData {
  batchId: string;
  status: BatchStatus;
  totalCount: number;
  completedCount: number;
  failedCount: number;
  templateUid?: string;
  /** Milliseconds. */
  duration?: number;
}

export type BatchCompletedEvent = Envelope<'batch.completed', BatchCompletedData>;

/** Where Pictify sends the batch events instead of to subscriptions. */
export const BATCH_DELIVERED_TO = 'batch results go to the webhookUrl given on each batch request';

/** The batch line: id, status, counts, and the error when there is one (batch.failed shares it). */
export function describeBatch(data: JsonObject, brief: Brief): Record<string, string | undefined> {
  return {
    batch: brief(data.batchId),
    status: brief(data.status),
    counts:
      typeof data.totalCount === 'number'
        ? `${String(data.completedCount ?? '?')}/${data.totalCount} done, ${String(data.failedCount ?? 0)} failed`
        : undefined,
    error: brief(data.error),
  };
}

export const batchCompleted: EventEntry<'batch.completed', BatchCompletedData> = {
  name: 'batch.completed',
  subscribable: { deliveredTo: BATCH_DELIVERED_TO },
  fields: {
    batchId: req('string'),
    templateUid: opt('string'),
    status: req('string'),
    totalCount: req('integer'),
    completedCount: req('integer'),
    failedCount: req('integer'),
    duration: opt('number'),
    deliveryId: opt('string'),
  },
  sample: {
    batchId: 'batch_abc123',
    templateUid: 'tmpl_xyz789',
    status: 'completed',
    totalCount: 500,
    completedCount: 498,
    failedCount: 2,
    duration: 45000,
    deliveryId: 'del_sample_batch_completed',
  },
  timesFromNow: {},
  describe: describeBatch,
};
