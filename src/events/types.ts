import type { EventName } from './names.js';
import type { RENDER_TYPES } from '../api/contract.js';

// Payload shapes as Pictify documents them (docs.pictify.io: concepts/webhooks, guides/webhook-integration,
// api-reference/batch). Fields the docs show in only some examples are optional. Pictify may add fields at any
// time, so the types describe what is known, not everything that can arrive.

/** `(string & {})` keeps editor completion for the known values while accepting new ones. */
type Open<T extends string> = T | (string & {});

export type JsonObject = { [key: string]: unknown };

/**
 * Every event's data may carry the delivery id (also sent as X-Pictify-Delivery-Id): Pictify's idempotency
 * example reads `data.deliveryId`.
 */
/** What Pictify renders: the API contract's list (subscription filters use the same). */
type RenderType = (typeof RENDER_TYPES)[number];

interface DeliveryData {
  deliveryId?: string;
}

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

export interface RenderFailedData extends DeliveryData {
  error: string;
  type?: Open<RenderType>;
  source?: Open<'api' | 'dashboard'>;
  templateId?: string | null;
  errorCode?: string;
  variables?: JsonObject | null;
}

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

/** Not on Pictify's pages: modelled on batch.completed plus render.failed's error fields. */
export interface BatchFailedData extends BatchCompletedData {
  error?: string;
  errorCode?: string;
}

export interface BindingUpdatedData extends DeliveryData {
  bindingId: string;
  templateUid?: string;
  imageUrl?: string;
  previousData?: JsonObject | null;
  newData?: JsonObject | null;
}

export interface BindingFailedData extends DeliveryData {
  bindingId: string;
  error: string;
  retryCount?: number;
  /** ISO 8601. */
  nextRetry?: string | null;
}

export interface EventDataMap {
  'render.completed': RenderCompletedData;
  'render.failed': RenderFailedData;
  'batch.completed': BatchCompletedData;
  'batch.failed': BatchFailedData;
  'binding.updated': BindingUpdatedData;
  'binding.failed': BindingFailedData;
}

/** The envelope of one delivery. */
export interface PictifyEventEnvelope<N extends EventName = EventName> {
  event: N;
  /** ISO 8601 time the event happened. */
  timestamp: string;
  data: EventDataMap[N];
}

export type RenderCompletedEvent = PictifyEventEnvelope<'render.completed'>;
export type RenderFailedEvent = PictifyEventEnvelope<'render.failed'>;
export type BatchCompletedEvent = PictifyEventEnvelope<'batch.completed'>;
export type BatchFailedEvent = PictifyEventEnvelope<'batch.failed'>;
export type BindingUpdatedEvent = PictifyEventEnvelope<'binding.updated'>;
export type BindingFailedEvent = PictifyEventEnvelope<'binding.failed'>;

/** Any Pictify webhook event, discriminated by `event`. */
export type PictifyEvent = { [N in EventName]: PictifyEventEnvelope<N> }[EventName];

export type EventOf<N extends EventName> = Extract<PictifyEvent, { event: N }>;
