// /webhook-subscriptions: the documented API. Handlers are synchronous (validate, mutate, answer) so that an
// Idempotency-Key is recorded before anything else can run; the server persists after they return.
import { COLLECTION_PATH as COLLECTION } from '../api/contract.js';
import { ProblemError, notFound } from './problem.js';
import { newSigningSecret, newSubscriptionUid, toPublic, type EmulatorStore } from './store.js';
import type { JsonAnswer } from './http-util.js';
import { parseJsonObject } from './http-util.js';
import type { StoredSubscription } from './types.js';
import { validateCreate, validateListQuery, validateUpdate } from './validate.js';

export interface RouteRequest {
  method: string;
  /** Path segments after /webhook-subscriptions: [], [uid] or [uid, action]. */
  segments: string[];
  query: URLSearchParams;
  body: Buffer;
}

function methodNotAllowed(method: string, allowed: string[]): ProblemError {
  return new ProblemError(
    405,
    'method_not_allowed',
    `${method} is not allowed here; use ${allowed.join(', ')}`,
    undefined,
    {
      allow: allowed.join(', '),
    },
  );
}

export function isMutating(method: string): boolean {
  return method !== 'GET' && method !== 'HEAD';
}

/** What every handler needs: the store, the clock, and the subscription a uid names (404 when there is none). */
class Subscriptions {
  constructor(
    readonly store: EmulatorStore,
    private readonly now: () => number,
  ) {}

  iso(): string {
    return new Date(this.now()).toISOString();
  }

  find(uid: string): StoredSubscription {
    const sub = this.store.subscription(uid);
    if (!sub) throw new ProblemError(404, 'subscription_not_found', `"${uid}" does not exist or was deleted`);
    return sub;
  }
}

export function handleSubscriptions(store: EmulatorStore, now: () => number, req: RouteRequest): JsonAnswer {
  const { method, segments } = req;
  const subs = new Subscriptions(store, now);
  if (segments.length === 0) {
    if (method === 'GET') return listSubscriptions(subs, req.query);
    if (method === 'POST') return createSubscription(subs, req.body);
    throw methodNotAllowed(method, ['GET', 'POST']);
  }
  const uid = segments[0];
  if (segments.length === 1) {
    if (method === 'GET') return { status: 200, body: { subscription: toPublic(subs.find(uid)) } };
    if (method === 'PUT') return updateSubscription(subs, uid, req.body);
    if (method === 'DELETE') {
      subs.find(uid);
      store.removeSubscription(uid);
      return { status: 200, body: { deleted: true, uid } };
    }
    throw methodNotAllowed(method, ['GET', 'PUT', 'DELETE']);
  }
  if (segments.length === 2 && (segments[1] === 'pause' || segments[1] === 'resume')) {
    if (method !== 'POST') throw methodNotAllowed(method, ['POST']);
    const sub = subs.find(uid);
    sub.status = segments[1] === 'pause' ? 'paused' : 'active';
    sub.updatedAt = subs.iso();
    return { status: 200, body: { subscription: toPublic(sub) } };
  }
  throw notFound(`no route ${method} ${COLLECTION}/${segments.join('/')}`);
}

/** GET: filtered by event, status and platform, then paged. */
function listSubscriptions({ store }: Subscriptions, query: URLSearchParams): JsonAnswer {
  const q = validateListQuery(query);
  const all = store
    .subscriptions()
    .filter(
      (s) =>
        (!q.event || s.event === q.event) &&
        (!q.status || s.status === q.status) &&
        (!q.platform || s.platform === q.platform),
    );
  const total = all.length;
  const totalPages = Math.ceil(total / q.limit);
  const start = (q.page - 1) * q.limit;
  return {
    status: 200,
    body: {
      subscriptions: all.slice(start, start + q.limit).map(toPublic),
      pagination: {
        page: q.page,
        limit: q.limit,
        total,
        totalPages,
        hasNext: q.page < totalPages,
        hasPrev: q.page > 1,
      },
    },
  };
}

/** POST: a new active subscription with a fresh secret, returned this once. */
function createSubscription(subs: Subscriptions, body: Buffer): JsonAnswer {
  const input = validateCreate(parseJsonObject(body));
  const at = subs.iso();
  const sub: StoredSubscription = {
    uid: newSubscriptionUid(),
    event: input.event,
    targetUrl: input.targetUrl,
    platform: input.platform,
    status: 'active',
    filters: input.filters,
    secret: newSigningSecret(),
    deliveryCount: 0,
    failureCount: 0,
    lastDeliveryAt: null,
    lastDelivery: null,
    createdAt: at,
    updatedAt: at,
  };
  subs.store.addSubscription(sub);
  // The one answer that carries the secret.
  return {
    status: 201,
    body: { subscription: { ...toPublic(sub), secret: sub.secret } },
    headers: { location: `${COLLECTION}/${sub.uid}` },
  };
}

/** PUT: targetUrl, filters and status, each only when given. */
function updateSubscription(subs: Subscriptions, uid: string, body: Buffer): JsonAnswer {
  const sub = subs.find(uid);
  const update = validateUpdate(parseJsonObject(body));
  if (update.targetUrl !== undefined) sub.targetUrl = update.targetUrl;
  if (update.filters !== undefined) sub.filters = update.filters;
  if (update.status !== undefined) sub.status = update.status;
  sub.updatedAt = subs.iso();
  return { status: 200, body: { subscription: toPublic(sub) } };
}
