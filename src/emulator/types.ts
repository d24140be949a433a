// The emulator's own records. A StoredSubscription keeps its secret; the API never shows it after create.

import { PLATFORMS, RENDER_TYPES, SUBSCRIPTION_STATUSES } from '../api/contract.js';

// The contract's values, defined once in src/api/contract.ts.
export { PLATFORMS, RENDER_TYPES, SUBSCRIPTION_STATUSES };
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];
export type Platform = (typeof PLATFORMS)[number];

export interface Filters {
  templateId?: string;
  bindingId?: string;
  type?: string;
}

/** Outcome of one attempt as the log and `lastDelivery` show it. */
export type AttemptStatus = 'delivered' | 'retrying' | 'failed' | 'cancelled';

export interface LastDelivery {
  id: string;
  deliveryId: string;
  event: string;
  status: AttemptStatus;
  statusCode?: number;
  attempt: number;
  attemptedAt: string;
}

export interface StoredSubscription {
  uid: string;
  event: string;
  targetUrl: string;
  platform: Platform;
  status: SubscriptionStatus;
  filters: Filters;
  secret: string;
  deliveryCount: number;
  failureCount: number;
  lastDeliveryAt: string | null;
  lastDelivery: LastDelivery | null;
  createdAt: string;
  updatedAt: string;
}

export type PublicSubscription = Omit<StoredSubscription, 'secret'>;

/** One event on its way to one subscription, across all its attempts. */
export interface DeliveryJob {
  deliveryId: string;
  subscription: string;
  event: string;
  /** The exact JSON bytes every attempt sends (re-signed with a fresh timestamp each time). */
  body: string;
  createdAt: string;
  attempts: number;
  state: 'pending' | 'delivered' | 'failed' | 'cancelled';
  /** Epoch ms of the next attempt while state is pending; absolute so a restart keeps the schedule. */
  nextAttemptAt?: number;
}

/** One line of the delivery log. */
export interface DeliveryAttempt {
  deliveryId: string;
  event: string;
  subscription: string;
  targetUrl: string;
  attempt: number;
  at: string;
  status: AttemptStatus;
  statusCode?: number;
  error?: string;
  latencyMs: number;
  /** The receiver's answer, cut short; never our own headers or the secret. */
  responseBody: string;
  nextRetryAt?: string;
}

export interface IdempotencyRecord {
  /** Hash of the API key and the Idempotency-Key, so neither is written to disk in clear. */
  scope: string;
  method: string;
  path: string;
  bodyHash: string;
  status: number;
  response: string;
  createdAt: number;
}

export interface EmulatorState {
  version: 1;
  subscriptions: StoredSubscription[];
  deliveries: DeliveryJob[];
  attempts: DeliveryAttempt[];
  idempotency: IdempotencyRecord[];
}

export function emptyState(): EmulatorState {
  return { version: 1, subscriptions: [], deliveries: [], attempts: [], idempotency: [] };
}
