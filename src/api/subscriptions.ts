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

const COLLECTION = '/webhook-subscriptions';

/** A runaway `hasNext: true` must not turn `list --all` into an endless loop. */
export const MAX_PAGES = 1000;

// 403/405: the route exists but API keys may not use it; 404: the route itself may not exist for keys.
// 401 is deliberately absent: a bad key is still an AuthError (exit 4).
const REFUSED_STATUSES = [403, 404, 405] as const;

function refusal(action: 'pause' | 'resume', uid: string) {
  const status = action === 'pause' ? 'paused' : 'active';
  return {
    statuses: REFUSED_STATUSES,
    action: `${action} ${uid}`,
    hint: `use \`pictify-hooks update ${uid} --status ${status}\``,
  };
}

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
    const res = await http.request({ method: 'GET', path: itemPath(uid), signal: options.signal });
    return unwrapSubscription(res.body, `GET subscription ${uid}`);
  }

  async function listSubscriptions(params: ListSubscriptionsParams = {}, options: CallOptions = {}) {
    const { event, status, platform, page, limit } = params;
    const res = await http.request({
      method: 'GET',
      path: COLLECTION,
      query: { event, status, platform, page, limit },
      signal: options.signal,
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
      hint: 'narrow the listing with --event/--status/--platform, or drop --all',
    });
  }

  async function createSubscription(input: CreateSubscriptionInput, options: CallOptions = {}) {
    const body: CreateSubscriptionInput = { event: input.event, targetUrl: input.targetUrl };
    if (input.platform !== undefined) body.platform = input.platform;
    if (input.filters !== undefined) body.filters = input.filters;
    const res = await http.request({ method: 'POST', path: COLLECTION, body, signal: options.signal });
    return unwrapSubscription(res.body, 'create subscription');
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
    const res = await http.request({ method: 'PUT', path: itemPath(uid), body, signal: options.signal });
    return subscriptionOrRefetch(res.body, uid, options);
  }

  async function deleteSubscription(uid: string, options: CallOptions = {}): Promise<DeleteResult> {
    const res = await http.request({
      method: 'DELETE',
      path: itemPath(uid),
      signal: options.signal,
      notFoundAfterRetryIsSuccess: true,
      textBodyIsFine: true,
    });
    const body = res.body as { deleted?: unknown } | undefined;
    if (body !== null && typeof body === 'object' && body.deleted === false) {
      throw new ApiError(`the API did not delete subscription ${uid}`, { status: res.status, body });
    }
    return { uid, deleted: true };
  }

  async function action(which: 'pause' | 'resume', uid: string, options: CallOptions): Promise<Subscription> {
    // POST without a body still carries an Idempotency-Key (added by http.ts), which is what makes it retryable.
    const res = await http.request({
      method: 'POST',
      path: `${itemPath(uid)}/${which}`,
      signal: options.signal,
      refusal: refusal(which, uid),
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
