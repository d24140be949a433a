// Pictify's docs disagree with themselves about envelopes ({subscription} vs bare, pagination present or
// not); these functions accept every documented variant and fail loudly on anything else.

import { ApiError, type ApiOperation } from '../errors.js';
import { DEFAULT_LIMIT } from './contract.js';
import type { ListSubscriptionsParams, Pagination, Subscription, SubscriptionPage } from './types.js';
import { isJsonObject } from '../events/json-object.js';

function looksLikeSubscription(value: unknown): value is Subscription {
  return isJsonObject(value) && typeof value.uid === 'string';
}

interface UnexpectedContext {
  operation?: ApiOperation;
  /** The call was a write the server accepted: it may have taken effect although its answer is unusable. */
  outcomeUnknown?: boolean;
}

function unexpected(what: string, body: unknown, ctx: UnexpectedContext = {}): ApiError {
  return new ApiError(`unexpected response from the API for ${what}`, { code: 'invalid_response', body, ...ctx });
}

/** `{subscription:{…}}`, `{data:{…}}` or the subscription itself. */
export function unwrapSubscription(body: unknown, what: string, ctx: UnexpectedContext = {}): Subscription {
  if (isJsonObject(body)) {
    if (looksLikeSubscription(body.subscription)) return body.subscription;
    if (looksLikeSubscription(body.data)) return body.data;
  }
  if (looksLikeSubscription(body)) return body;
  throw unexpected(what, body, ctx);
}

/** Like unwrapSubscription, but "no subscription in the answer" is allowed (204, `{success:true}`). */
export function maybeSubscription(body: unknown): Subscription | undefined {
  if (isJsonObject(body)) {
    if (looksLikeSubscription(body.subscription)) return body.subscription;
    if (looksLikeSubscription(body.data)) return body.data;
  }
  return looksLikeSubscription(body) ? body : undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * Missing or partial pagination is completed from what we asked for. With no pagination at all we
 * assume this is the only page: guessing "more" could loop forever against an API that ignores `page`.
 */
export function normalizePage(body: unknown, params: ListSubscriptionsParams): SubscriptionPage {
  const list = Array.isArray(body)
    ? body
    : isJsonObject(body) && Array.isArray(body.subscriptions)
      ? body.subscriptions
      : isJsonObject(body) && Array.isArray(body.data)
        ? body.data
        : undefined;
  if (!list) throw unexpected('list subscriptions', body, { operation: { name: 'list', event: params.event } });
  const subscriptions = list.filter(looksLikeSubscription);

  const raw = isJsonObject(body) && isJsonObject(body.pagination) ? body.pagination : undefined;
  const page = num(raw?.page) ?? params.page ?? 1;
  const limit = num(raw?.limit) ?? params.limit ?? (raw ? DEFAULT_LIMIT : Math.max(subscriptions.length, 1));
  const total = num(raw?.total) ?? (raw ? (page - 1) * limit + subscriptions.length : subscriptions.length);
  const totalPages = num(raw?.totalPages) ?? (raw ? Math.max(1, Math.ceil(total / limit)) : 1);
  const hasNext = typeof raw?.hasNext === 'boolean' ? raw.hasNext : raw ? page < totalPages : false;
  const hasPrev = typeof raw?.hasPrev === 'boolean' ? raw.hasPrev : page > 1;
  const pagination: Pagination = { page, limit, total, totalPages, hasNext, hasPrev };
  return { subscriptions, pagination };
}
