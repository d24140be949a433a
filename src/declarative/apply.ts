// The applier: carries a plan out one change at a time, recording each result in the profile before the next API
// call. Creates first (a replace creates its new subscription before it deletes the old one, so deliveries never
// stop), then updates, then deletes. Every create is recorded as pending with its Idempotency-Key before it is
// sent: if its answer is lost (a timeout, a dropped connection, a crash), the next apply sends the same request
// with the same key and the API answers with the subscription the first one made, secret included.
import type { SubscriptionsApi, Subscription } from '../api/index.js';
import { createRequest, createRequestText, type Change, type Plan } from './plan.js';
import type { ManagedState } from './state.js';

export interface AppliedChange {
  change: Change;
  /** The subscription a create or replace made. */
  created?: Subscription;
}

export interface ApplyPorts {
  api: Pick<SubscriptionsApi, 'createSubscription' | 'updateSubscription' | 'deleteSubscription'>;
  state: ManagedState;
  now(): number;
  newIdempotencyKey(): string;
  /** After a create's secret is in the profile (`--secret-env` writes it out here). */
  onCreated?(name: string, sub: Subscription): Promise<void> | void;
  /** After each change is done and recorded. */
  onApplied?(done: AppliedChange): void;
}

/** The profile could not record a new subscription: its secret exists only here, and must be shown to be kept. */
export class SecretNotSaved extends Error {
  constructor(
    readonly subscriptionName: string,
    readonly subscription: Subscription,
    override readonly cause: unknown,
  ) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super(`the secret of ${subscription.uid} (${subscriptionName}) could not be saved: ${why}`, { cause });
    this.name = 'SecretNotSaved';
  }
}

/** Thrown when a change fails: what was done before it stays done and recorded; the next apply goes on from there. */
export class ApplyStopped extends Error {
  constructor(
    readonly done: AppliedChange[],
    readonly failed: Change,
    override readonly cause: unknown,
  ) {
    super((cause as Error)?.message ?? String(cause), { cause });
    this.name = 'ApplyStopped';
  }
}

export async function applyPlan(plan: Plan, ports: ApplyPorts): Promise<AppliedChange[]> {
  ports.state.settle(plan.adoptions, plan.forget);
  for (const uid of plan.retired) ports.state.deleted(uid);
  const done: AppliedChange[] = [];
  for (const change of plan.changes) {
    let result: AppliedChange;
    try {
      result = await applyOne(change, ports);
    } catch (error) {
      throw new ApplyStopped(done, change, error);
    }
    done.push(result);
    ports.onApplied?.(result);
  }
  return done;
}

async function applyOne(change: Change, ports: ApplyPorts): Promise<AppliedChange> {
  const { api, state } = ports;
  const at = () => new Date(ports.now()).toISOString();
  switch (change.action) {
    case 'create':
    case 'replace': {
      const desired = change.desired;
      const idempotencyKey = change.resumeKey ?? ports.newIdempotencyKey();
      state.beginCreate(change.name, { idempotencyKey, request: createRequestText(desired), at: at() });
      const created = await api.createSubscription(createRequest(desired), { idempotencyKey });
      const replaced = change.action === 'replace' ? change.uid : undefined;
      const gone = change.action === 'create' ? change.goneUid : undefined;
      // Recorded as it was made (Pictify creates active): a pause below that fails is then a plain update next time.
      try {
        state.created(change.name, created, { ...desired, status: created.status }, at(), replaced, gone);
      } catch (error) {
        throw new SecretNotSaved(change.name, created, error);
      }
      await ports.onCreated?.(change.name, created);
      if (desired.status !== created.status) {
        await api.updateSubscription(created.uid, { status: desired.status });
        state.updated(change.name, created.uid, desired);
      }
      if (replaced) {
        await api.deleteSubscription(replaced);
        state.deleted(replaced);
      }
      return { change, created };
    }
    case 'update': {
      const d = change.desired;
      await api.updateSubscription(change.uid, {
        targetUrl: d.url,
        filters: { ...d.filters },
        status: d.status,
      });
      state.updated(change.name, change.uid, d);
      return { change };
    }
    case 'delete':
      await api.deleteSubscription(change.uid);
      state.deleted(change.uid);
      return { change };
  }
}
