// Shapes of Pictify's /webhook-subscriptions API (see /work/shared/design.md) and of the client's options.

import type { PLATFORMS, SUBSCRIPTION_STATUSES } from './contract.js';

export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];
export type Platform = (typeof PLATFORMS)[number];

export interface SubscriptionFilters {
  templateId?: string;
  bindingId?: string;
  type?: string;
}

export interface LastDelivery {
  id?: string;
  status?: string | number;
  statusCode?: number;
  attemptedAt?: string;
  [key: string]: unknown;
}

export interface Subscription {
  uid: string;
  event: string;
  targetUrl: string;
  platform: Platform | string;
  status: SubscriptionStatus;
  filters?: SubscriptionFilters;
  deliveryCount?: number;
  failureCount?: number;
  lastDeliveryAt?: string | null;
  createdAt?: string;
  /** Only present in the create response: Pictify shows the signing secret exactly once. */
  secret?: string;
  lastDelivery?: LastDelivery | null;
}

export interface Pagination {
  page: number;
  limit: number;
  total: number;
  totalPages: number;
  hasNext: boolean;
  hasPrev: boolean;
}

export interface ListSubscriptionsParams {
  event?: string;
  status?: SubscriptionStatus | string;
  platform?: Platform | string;
  page?: number;
  limit?: number;
}

export interface SubscriptionPage {
  subscriptions: Subscription[];
  pagination: Pagination;
}

export interface CreateSubscriptionInput {
  event: string;
  targetUrl: string;
  platform?: Platform | string;
  filters?: SubscriptionFilters;
}

export interface UpdateSubscriptionInput {
  targetUrl?: string;
  filters?: SubscriptionFilters;
  status?: 'active' | 'paused';
}

export interface DeleteResult {
  uid: string;
  deleted: true;
}

export interface RateLimitInfo {
  limit?: number;
  remaining?: number;
  /** When the window resets, as epoch milliseconds (the header may be epoch seconds or seconds-from-now). */
  resetAt?: number;
}

export interface RetryInfo {
  /** The attempt about to be made (2 for the first retry). */
  attempt: number;
  delayMs: number;
  /** Why the previous attempt failed, e.g. "HTTP 503 Service Unavailable" or "ECONNRESET". */
  reason: string;
}

/** Per-call options every endpoint method accepts. */
export interface CallOptions {
  signal?: AbortSignal;
  /**
   * POST only: the Idempotency-Key to send instead of a fresh one. A caller that records the key before the call
   * (apply) can resend it after a lost answer, and the server replays the first result instead of creating twice.
   */
  idempotencyKey?: string;
}

export interface ApiClientOptions {
  baseUrl: string;
  apiKey?: string;
  userAgent: string;
  /** Cap in ms on any single wait between attempts. Default 30_000. */
  maxRetryWait?: number;
  /** Total attempts including the first. Default 4. */
  maxAttempts?: number;
  /** Per-attempt timeout in ms (connect + headers + body). Default 30_000. */
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  /** Clock used to turn an HTTP-date Retry-After into a delay. Default Date.now. */
  now?: () => number;
  idempotencyKey?: () => string;
  onRetry?: (info: RetryInfo) => void;
}
