import type { EventName } from './names.js';

// What Pictify documents, and how the validator checks it. DOCUMENTED_FIELDS is copied from the docs (the
// consistency test holds the samples and the schema to it); FIELD_SCHEMA adds types and which fields are required.
// Sources: docs.pictify.io concepts/webhooks (render.*), guides/webhook-integration (all events, format,
// variables, deliveryId via its idempotency example), api-reference/batch (batch.completed).

const DELIVERY_ID = 'data.deliveryId';

/** Every field shown in Pictify's examples, per event, as dot paths. */
export const DOCUMENTED_FIELDS: { readonly [N in EventName]: readonly string[] } = {
  'render.completed': [
    'event',
    'timestamp',
    'data.type',
    'data.source',
    'data.imageId',
    'data.url',
    'data.userStorageUrl',
    'data.width',
    'data.height',
    'data.format',
    'data.templateId',
    'data.userId',
    'data.variables',
    'data.renderedAt',
    DELIVERY_ID,
  ],
  'render.failed': [
    'event',
    'timestamp',
    'data.type',
    'data.source',
    'data.templateId',
    'data.error',
    'data.errorCode',
    'data.variables',
    DELIVERY_ID,
  ],
  'batch.completed': [
    'event',
    'timestamp',
    'data.batchId',
    'data.templateUid',
    'data.status',
    'data.totalCount',
    'data.completedCount',
    'data.failedCount',
    'data.duration',
    DELIVERY_ID,
  ],
  // Pictify lists batch.failed in no example: modelled on batch.completed plus render.failed's error fields.
  'batch.failed': [
    'event',
    'timestamp',
    'data.batchId',
    'data.templateUid',
    'data.status',
    'data.totalCount',
    'data.completedCount',
    'data.failedCount',
    'data.duration',
    'data.error',
    'data.errorCode',
    DELIVERY_ID,
  ],
  'binding.updated': [
    'event',
    'timestamp',
    'data.bindingId',
    'data.templateUid',
    'data.imageUrl',
    'data.previousData',
    'data.newData',
    DELIVERY_ID,
  ],
  'binding.failed': [
    'event',
    'timestamp',
    'data.bindingId',
    'data.error',
    'data.retryCount',
    'data.nextRetry',
    DELIVERY_ID,
  ],
};

export type FieldKind = 'string' | 'number' | 'integer' | 'object' | 'datetime';

export interface FieldSpec {
  kind: FieldKind;
  /** Absent → error. Optional fields are checked only when present, and may be null. */
  required?: boolean;
}

const req = (kind: FieldKind): FieldSpec => ({ kind, required: true });
const opt = (kind: FieldKind): FieldSpec => ({ kind });

const batchFields: Record<string, FieldSpec> = {
  batchId: req('string'),
  status: req('string'),
  totalCount: req('integer'),
  completedCount: req('integer'),
  failedCount: req('integer'),
  templateUid: opt('string'),
  duration: opt('number'),
  deliveryId: opt('string'),
};

/**
 * Types of the `data` fields. Required: the few fields an event means nothing without. Everything else is optional,
 * because Pictify's examples differ from page to page and a validator that rejects real deliveries is worse than none.
 */
export const FIELD_SCHEMA: { readonly [N in EventName]: Readonly<Record<string, FieldSpec>> } = {
  'render.completed': {
    type: req('string'),
    url: req('string'),
    source: opt('string'),
    imageId: opt('string'),
    userStorageUrl: opt('string'),
    width: opt('integer'),
    height: opt('integer'),
    format: opt('string'),
    templateId: opt('string'),
    userId: opt('string'),
    variables: opt('object'),
    renderedAt: opt('datetime'),
    deliveryId: opt('string'),
  },
  'render.failed': {
    error: req('string'),
    type: opt('string'),
    source: opt('string'),
    templateId: opt('string'),
    errorCode: opt('string'),
    variables: opt('object'),
    deliveryId: opt('string'),
  },
  'batch.completed': batchFields,
  'batch.failed': { ...batchFields, error: opt('string'), errorCode: opt('string') },
  'binding.updated': {
    bindingId: req('string'),
    templateUid: opt('string'),
    imageUrl: opt('string'),
    previousData: opt('object'),
    newData: opt('object'),
    deliveryId: opt('string'),
  },
  'binding.failed': {
    bindingId: req('string'),
    error: req('string'),
    retryCount: opt('integer'),
    nextRetry: opt('datetime'),
    deliveryId: opt('string'),
  },
};
