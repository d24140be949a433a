// Typed methods for /webhook-subscriptions. They only shape requests and unwrap answers; retries,
// auth and error mapping live in http.ts.

import { ApiError } from '../errors.js';
import type { HttpClient } from './http.js';
import { maybeSubscription, normalizePage, unwrapSubscription } from './normalize.js';
import type {
  CallOptions,
  CreateSubscriptionInput,
  DeleteResult,
  ListSubscriptionsParams,
  Pagination,
  Subscription,
  SubscriptionPage,
  UpdateSubscriptionInput,
} from './types.js';
import { pathSegment } from './url.js';

import { COLLECTION_PATH as COLLECTION } from './contract.js';

/** A runaway `hasNext: true` must not turn `list --all` into an endless loop. */
export const MAX_PAGES = 1000;

// 403/405: the route exists but API keys may not use it; 404: the route itself may not exist for keys.
// 401 is deliberately absent: a bad key is still an AuthError (exit 4).
const REFUSED_STATUSES = [403, 404, 405] as const;

export type OnPage = (subscriptions: Subscription[], pagination: Pagination) => void | Promise<void>;

export interface SubscriptionsApi {
  listSubscriptions(params?: ListSubscriptionsParams, options?: CallOptions): Promise<SubscriptionPage>;
  listAllSubscriptions(
    filters?: Omit<ListSubscriptionsParams, 'page'>,
    onPage?: OnPage,
    options?: CallOptions,
  ): Promise<Subscription[]>;
  createSubscription(input: CreateSubscriptionInput, options?: CallOptions): Promise<Subscription>;
  getSubscription(uid: string, options?: CallOptions): Promise<Subscription>;
  updateSubscription(uid: string, input: UpdateSubscriptionInput, options?: CallOptions): Promise<Subscription>;
  deleteSubscription(uid: string, options?: CallOptions): Promise<DeleteResult>;
  pauseSubscription(uid: string, options?: CallOptions): Promise<Subscription>;
  resumeSubscription(uid: string, options?: CallOptions): Promise<Subscription>;
}

export function createSubscriptionsApi(http: HttpClient): SubscriptionsApi {
  const itemPath = (uid: string) => `${COLLECTION}/${pathSegment(uid)}`;

  async function getSubscription(uid: string, options: CallOptions = {}): Promise<Subscription> {
    const operation = { name: 'get', uid } as const;
    const res = await http.request({ method: 'GET', path: itemPath(uid), signal: options.signal, operation });
    return unwrapSubscription(res.body, `GET subscription ${uid}`, { operation });
  }

  async function listSubscriptions(params: ListSubscriptionsParams = {}, options: CallOptions = {}) {
    const { event, status, platform, page, limit } = params;
    const res = await http.request({
      method: 'GET',
      path: COLLECTION,
      query: { event, status, platform, page, limit },
      signal: options.signal,
      operation: { name: 'list', event },
    });
    return normalizePage(res.body, params);
  }

  async function listAllSubscriptions(
    filters: Omit<ListSubscriptionsParams, 'page'> = {},
    onPage?: OnPage,
    options: CallOptions = {},
  ): Promise<Subscription[]> {
    const byUid = new Map<string, Subscription>();
    for (let page = 1; page <= MAX_PAGES; page++) {
      const result = await listSubscriptions({ ...filters, page }, options);
      const fresh = result.subscriptions.filter((s) => !byUid.has(s.uid));
      for (const s of fresh) byUid.set(s.uid, s);
      await onPage?.(fresh, result.pagination);
      // An empty page, or one with nothing new (an API that ignores `page` and resends page 1), ends the walk.
      if (!result.pagination.hasNext || fresh.length === 0) return [...byUid.values()];
    }
    throw new ApiError(`listing did not end after ${MAX_PAGES} pages`, {
      code: 'pagination_runaway',
      operation: { name: 'list', event: filters.event },
    });
  }

  async function createSubscription(input: CreateSubscriptionInput, options: CallOptions = {}) {
    const body: CreateSubscriptionInput = { event: input.event, targetUrl: input.targetUrl };
    if (input.platform !== undefined) body.platform = input.platform;
    if (input.filters !== undefined) body.filters = input.filters;
    const operation = { name: 'create', event: input.event, targetUrl: input.targetUrl } as const;
    const res = await http.request({
      method: 'POST',
      path: COLLECTION,
      body,
      signal: options.signal,
      operation,
      idempotencyKey: options.idempotencyKey,
    });
    // A 2xx whose body is not a subscription: it was probably created, but its secret is not in our hands.
    return unwrapSubscription(res.body, 'create subscription', { operation, outcomeUnknown: true });
  }

  /** Some variants answer 204 or `{success:true}`; then the current state is fetched so callers always get it. */
  async function subscriptionOrRefetch(body: unknown, uid: string, options: CallOptions): Promise<Subscription> {
    return maybeSubscription(body) ?? getSubscription(uid, options);
  }

  async function updateSubscription(uid: string, input: UpdateSubscriptionInput, options: CallOptions = {}) {
    const body: UpdateSubscriptionInput = {};
    if (input.targetUrl !== undefined) body.targetUrl = input.targetUrl;
    if (input.filters !== undefined) body.filters = input.filters;
    if (input.status !== undefined) body.status = input.status;
    const res = await http.request({
      method: 'PUT',
      path: itemPath(uid),
      body,
      signal: options.signal,
      operation: { name: 'update', uid },
    });
    return subscriptionOrRefetch(res.body, uid, options);
  }

  async function deleteSubscription(uid: string, options: CallOptions = {}): Promise<DeleteResult> {
    const res = await http.request({
      method: 'DELETE',
      path: itemPath(uid),
      signal: options.signal,
      notFoundAfterRetryIsSuccess: true,
      textBodyIsFine: true,
      operation: { name: 'delete', uid },
    });
    const body = res.body as { deleted?: unknown } | undefined;
    if (body !== null && typeof body === 'object' && body.deleted === false) {
      throw new ApiError(`the API did not delete subscription ${uid}`, {
        status: res.status,
        body,
        operation: { name: 'delete', uid },
      });
    }
    return { uid, deleted: true };
  }

  async function action(which: 'pause' | 'resume', uid: string, options: CallOptions): Promise<Subscription> {
    // POST without a body still carries an Idempotency-Key (added by http.ts), which is what makes it retryable.
    const res = await http.request({
      method: 'POST',
      path: `${itemPath(uid)}/${which}`,
      signal: options.signal,
      operation: { name: which, uid },
      refusedStatuses: REFUSED_STATUSES,
    });
    return subscriptionOrRefetch(res.body, uid, options);
  }

  return {
    listSubscriptions,
    listAllSubscriptions,
    createSubscription,
    getSubscription,
    updateSubscription,
    deleteSubscription,
    pauseSubscription: (uid, options = {}) => action('pause', uid, options),
    resumeSubscription: (uid, options = {}) => action('resume', uid, options),
  };
}
