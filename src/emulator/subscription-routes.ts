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

export function handleSubscriptions(store: EmulatorStore, now: () => number, req: RouteRequest): JsonAnswer {
  const { method, segments } = req;
  const iso = () => new Date(now()).toISOString();
  const find = (uid: string): StoredSubscription => {
    const sub = store.subscription(uid);
    if (!sub) throw new ProblemError(404, 'subscription_not_found', `"${uid}" does not exist or was deleted`);
    return sub;
  };

  if (segments.length === 0) {
    if (method === 'GET') {
      const q = validateListQuery(req.query);
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
    if (method === 'POST') {
      const input = validateCreate(parseJsonObject(req.body));
      const at = iso();
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
      store.addSubscription(sub);
      // The one answer that carries the secret.
      return {
        status: 201,
        body: { subscription: { ...toPublic(sub), secret: sub.secret } },
        headers: { location: `${COLLECTION}/${sub.uid}` },
      };
    }
    throw methodNotAllowed(method, ['GET', 'POST']);
  }

  const uid = segments[0];
  if (segments.length === 1) {
    if (method === 'GET') return { status: 200, body: { subscription: toPublic(find(uid)) } };
    if (method === 'PUT') {
      const sub = find(uid);
      const update = validateUpdate(parseJsonObject(req.body));
      if (update.targetUrl !== undefined) sub.targetUrl = update.targetUrl;
      if (update.filters !== undefined) sub.filters = update.filters;
      if (update.status !== undefined) sub.status = update.status;
      sub.updatedAt = iso();
      return { status: 200, body: { subscription: toPublic(sub) } };
    }
    if (method === 'DELETE') {
      find(uid);
      store.removeSubscription(uid);
      return { status: 200, body: { deleted: true, uid } };
    }
    throw methodNotAllowed(method, ['GET', 'PUT', 'DELETE']);
  }

  if (segments.length === 2 && (segments[1] === 'pause' || segments[1] === 'resume')) {
    if (method !== 'POST') throw methodNotAllowed(method, ['POST']);
    const sub = find(uid);
    sub.status = segments[1] === 'pause' ? 'paused' : 'active';
    sub.updatedAt = iso();
    return { status: 200, body: { subscription: toPublic(sub) } };
  }
  throw notFound(`no route ${method} ${COLLECTION}/${segments.join('/')}`);
}
