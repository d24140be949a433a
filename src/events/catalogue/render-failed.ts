// render.failed — a render did not complete. Source: docs.pictify.io concepts/webhooks.
import { opt, req, type DeliveryData, type Envelope, type EventEntry, type JsonObject, type Open } from './entry.js';
import type { RenderType } from './render-completed.js';

export interface RenderFailedData extends DeliveryData {
  error: string;
  type?: Open<RenderType>;
  source?: Open<'api' | 'dashboard'>;
  templateId?: string | null;
  errorCode?: string;
  variables?: JsonObject | null;
}

export type RenderFailedEvent = Envelope<'render.failed', RenderFailedData>;

export const renderFailed: EventEntry<'render.failed', RenderFailedData> = {
  name: 'render.failed',
  subscribable: true,
  fields: {
    type: opt('string'),
    source: opt('string'),
    templateId: opt('string'),
    error: req('string'),
    errorCode: opt('string'),
    variables: opt('object'),
    deliveryId: opt('string'),
  },
  sample: {
    type: 'image',
    source: 'api',
    templateId: 'tmpl_xyz789',
    error: 'Template not found',
    errorCode: 'TEMPLATE_NOT_FOUND',
    variables: { title: 'Hello World' },
    deliveryId: 'del_sample_render_failed',
  },
  timesFromNow: {},
  describe: (data, brief) => ({ error: brief(data.error), errorCode: brief(data.errorCode) }),
};
