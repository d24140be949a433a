import type { EventName } from './names.js';
import type { EventOf } from './types.js';

// One sample per event, kept as plain data and carrying every documented field (test/unit/events checks this
// against DOCUMENTED_FIELDS). Values follow Pictify's own examples. Use buildSampleEvent() for a fresh copy:
// these objects are shared and frozen.

const SAMPLE_TIME = '2026-01-29T10:30:00Z';

const samples: { [N in EventName]: EventOf<N> } = {
  'render.completed': {
    event: 'render.completed',
    timestamp: SAMPLE_TIME,
    data: {
      type: 'image',
      source: 'api',
      imageId: 'img_abc123',
      url: 'https://cdn.pictify.io/renders/abc123.png',
      userStorageUrl: 'https://your-bucket.s3.amazonaws.com/abc123.png',
      width: 1200,
      height: 630,
      format: 'png',
      templateId: 'tmpl_xyz789',
      userId: 'user_123',
      variables: { title: 'Hello World' },
      renderedAt: SAMPLE_TIME,
      deliveryId: 'del_sample_render_completed',
    },
  },
  'render.failed': {
    event: 'render.failed',
    timestamp: SAMPLE_TIME,
    data: {
      type: 'image',
      source: 'api',
      templateId: 'tmpl_xyz789',
      error: 'Template not found',
      errorCode: 'TEMPLATE_NOT_FOUND',
      variables: { title: 'Hello World' },
      deliveryId: 'del_sample_render_failed',
    },
  },
  'batch.completed': {
    event: 'batch.completed',
    timestamp: SAMPLE_TIME,
    data: {
      batchId: 'batch_abc123',
      templateUid: 'tmpl_xyz789',
      status: 'completed',
      totalCount: 500,
      completedCount: 498,
      failedCount: 2,
      duration: 45000,
      deliveryId: 'del_sample_batch_completed',
    },
  },
  'batch.failed': {
    event: 'batch.failed',
    timestamp: SAMPLE_TIME,
    data: {
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
  },
  'binding.updated': {
    event: 'binding.updated',
    timestamp: SAMPLE_TIME,
    data: {
      bindingId: 'bind_abc123',
      templateUid: 'tmpl_xyz789',
      imageUrl: 'https://cdn.pictify.io/bindings/abc123.png',
      previousData: { stars: 100 },
      newData: { stars: 105 },
      deliveryId: 'del_sample_binding_updated',
    },
  },
  'binding.failed': {
    event: 'binding.failed',
    timestamp: SAMPLE_TIME,
    data: {
      bindingId: 'bind_abc123',
      error: 'Data source returned 500',
      retryCount: 3,
      nextRetry: '2026-01-29T11:00:00Z',
      deliveryId: 'del_sample_binding_failed',
    },
  },
};

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** The shared, frozen samples. Copy before changing (buildSampleEvent does). */
export const SAMPLE_EVENTS: { readonly [N in EventName]: EventOf<N> } = deepFreeze(samples);
