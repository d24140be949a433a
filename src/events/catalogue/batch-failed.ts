// batch.failed — a batch render failed as a whole. Pictify lists it in no example: modelled on batch.completed plus
// render.failed's error fields. Not listed for subscriptions either (see batch-completed.ts).
import { BATCH_DELIVERED_TO, batchCompleted, describeBatch, type BatchCompletedData } from './batch-completed.js';
import { opt, type Envelope, type EventEntry } from './entry.js';

export interface BatchFailedData extends BatchCompletedData {
  error?: string;
  errorCode?: string;
}

export type BatchFailedEvent = Envelope<'batch.failed', BatchFailedData>;

export const batchFailed: EventEntry<'batch.failed', BatchFailedData> = {
  name: 'batch.failed',
  subscribable: { deliveredTo: BATCH_DELIVERED_TO },
  fields: { ...batchCompleted.fields, error: opt('string'), errorCode: opt('string') },
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
