// The event catalogue: one entry per Pictify event, each in its own file. Adding an event is a new file beside these
// and one line in each list below; everything else (names, types, samples, documented fields, the validator,
// listen's line, whether it can be subscribed to) is derived from the entries.
import { batchCompleted } from './batch-completed.js';
import { batchFailed } from './batch-failed.js';
import { bindingFailed } from './binding-failed.js';
import { bindingUpdated } from './binding-updated.js';
import { renderCompleted } from './render-completed.js';
import { renderFailed } from './render-failed.js';

export type { BatchCompletedData, BatchCompletedEvent, BatchStatus } from './batch-completed.js';
export type { BatchFailedData, BatchFailedEvent } from './batch-failed.js';
export type { BindingFailedData, BindingFailedEvent } from './binding-failed.js';
export type { BindingUpdatedData, BindingUpdatedEvent } from './binding-updated.js';
export type { RenderCompletedData, RenderCompletedEvent } from './render-completed.js';
export type { RenderFailedData, RenderFailedEvent } from './render-failed.js';
export type { JsonObject } from './entry.js';

/** Every event, in the order lists and help show them. */
export const EVENT_CATALOGUE = [
  renderCompleted,
  renderFailed,
  batchCompleted,
  batchFailed,
  bindingUpdated,
  bindingFailed,
] as const;
