// batch.failed — a batch render failed as a whole. Pictify lists it in no example: modelled on batch.completed plus
// render.failed's error fields. Not listed for subscriptions either (see batch-completed.ts).
import { BATCH_DELIVERED_TO, describeBatch, type BatchCompletedData } from './batch-completed.js';
import { opt, req, type Envelope, type EventEntry } from './entry.js';

export interface BatchFailedData extends BatchCompletedData {
  error?: string;
  errorCode?: string;
}

export type BatchFailedEvent = Envelope<'batch.failed', BatchFailedData>;

export const batchFailed: EventEntry<'batch.failed', BatchFailedData> = {
  name: 'batch.failed',
  subscribable: { deliveredTo: BATCH_DELIVERED_TO },
  fields: {
    batchId: req('string'),
    templateUid: opt('string'),
    status: req('string'),
    totalCount: req('integer'),
    completedCount: req('integer'),
    failedCount: req('integer'),
    duration: opt('number'),
    error: opt('string'),
    errorCode: opt('string'),
    deliveryId: opt('string'),
  },
  sample: {
    batchId: 'batch_abc123',
    templateUid: 'tmpl_xyz789',
    status: 'failed',
    totalCount: 500,
    completedCount: 0,
    failedCount: 500,
    duration: 12000,
    error: 'All items failed to render',
    errorCode: 'BATCH_FAILED',
    deliveryId: 'del_sample_batch_failed',
  },
  timesFromNow: {},
  describe: describeBatch,
};
