// render.completed — an image, GIF or PDF finished rendering. Sources: docs.pictify.io concepts/webhooks,
// guides/webhook-integration (format, variables, deliveryId via its idempotency example).
import type { RENDER_TYPES } from '../../api/contract.js';
import {
  opt,
  req,
  SAMPLE_TIME,
  type DeliveryData,
  type Envelope,
  type EventEntry,
  type JsonObject,
  type Open,
} from './entry.js';

/** What Pictify renders: the API contract's list (subscription filters use the same). */
export type RenderType = (typeof RENDER_TYPES)[number];

export interface RenderCompletedData extends DeliveryData {
  type: Open<RenderType>;
  url: string;
  source?: Open<'api' | 'dashboard'>;
  imageId?: string;
  /** Copy in the user's own bucket, when one is configured. */
  userStorageUrl?: string | null;
  width?: number;
  height?: number;
  format?: Open<'png' | 'jpeg' | 'webp' | 'gif' | 'pdf'>;
  templateId?: string | null;
  userId?: string;
  variables?: JsonObject | null;
  /** ISO 8601. */
  renderedAt?: string;
}

export type RenderCompletedEvent = Envelope<'render.completed', RenderCompletedData>;

export const renderCompleted: EventEntry<'render.completed', RenderCompletedData> = {
  name: 'render.completed',
  subscribable: true,
  fields: {
    type: req('string'),
    source: opt('string'),
    imageId: opt('string'),
    url: req('string'),
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
  sample: {
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
  timesFromNow: { renderedAt: 0 },
  describe: (data, brief) => ({
    url: brief(data.url),
    size:
      typeof data.width === 'number' && typeof data.height === 'number' ? `${data.width}x${data.height}` : undefined,
    format: brief(data.format),
  }),
};
