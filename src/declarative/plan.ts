// The planner, pure: the file's subscriptions + the live ones + the profile's record of names → the changes.
// Identity is the name: the profile records which uid each name is; a name it has no record of is matched to a
// live subscription by a `uid:` hint in the file, else by equal event, url, platform and filters (adoption).
// Pictify's PUT changes url, filters and status only, so a new event or platform is a replace: a new
// subscription with a new secret. Drift is a live value that differs from what apply last made it.
import type { Subscription } from '../api/index.js';
import { FILTER_KEYS, type AppliedState, type DesiredSubscription, type ManagedName } from './types.js';

export type FieldName = 'event' | 'url' | 'platform' | 'filters' | 'status';

/** The file wants `to` where Pictify has `from`. */
export interface FieldChange {
  field: FieldName;
  from: string;
  to: string;
}

/** Changed outside pictify-hooks: apply last made it `applied`, Pictify now has `live`. */
export interface Drift {
  field: FieldName;
  applied: string;
  live: string;
}

export type Change =
  | {
      action: 'create';
      name: string;
      desired: DesiredSubscription;
      /** new: never made; gone: its subscription was deleted elsewhere; resume: an apply stopped mid-create. */
      reason: 'new' | 'gone' | 'resume';
      goneUid?: string;
      /** The Idempotency-Key of the interrupted create to resend (resume). */
      resumeKey?: string;
    }
  | {
      action: 'update';
      name: string;
      uid: string;
      desired: DesiredSubscription;
      fields: FieldChange[];
      drift: Drift[];
    }
  | {
      action: 'replace';
      name: string;
      uid: string;
      desired: DesiredSubscription;
      fields: FieldChange[];
      drift: Drift[];
      resumeKey?: string;
    }
  | {
      action: 'delete';
      uid: string;
      /** The name it had, when the profile remembers one. */
      name?: string;
      /** prune: not in the file (--prune); replaced: the old half of a replace an apply did not finish. */
      reason: 'prune' | 'replaced';
      event: string;
      url: string;
    };

export interface Adoption {
  name: string;
  uid: string;
  /** hint: the file's `uid:`; match: equal event, url, platform and filters. */
  via: 'hint' | 'match';
  secretHeld: boolean;
  /** What it is live now: recorded as its applied state. */
  live: AppliedState;
}

export interface Plan {
  changes: Change[];
  adoptions: Adoption[];
  /** Live subscriptions no name claims, left alone (without --prune). */
  unmanaged: Subscription[];
  /** Names already as the file wants them. */
  unchanged: string[];
  /** Records of names that left the file and whose subscription is gone: dropped by apply. */
  forget: string[];
  /** Old halves of replaces that are gone already (deleted, answer lost): their records and secrets are dropped. */
  retired: string[];
  /** Each name's uid as Pictify has it now (after adoption), for names that have one. */
  uids: Record<string, string>;
}

export interface PlanInput {
  desired: readonly DesiredSubscription[];
  live: readonly Subscription[];
  managed: Readonly<Record<string, ManagedName>>;
  /** Uids the profile holds a secret for. */
  secretsHeld: ReadonlySet<string>;
  /** Uids of `listen --subscribe`'s temporary subscriptions: never unmanaged, never pruned. */
  temporary: ReadonlySet<string>;
  prune: boolean;
}

/** The filters as one comparable, readable text: `templateId=t1,type=pdf`, '' for none. */
export function filtersText(filters: object | null | undefined): string {
  return Object.entries(normalFilters(filters))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** The filters that are set, in FILTER_KEYS order (the API may answer null, '' or {} for none). */
export function normalFilters(filters: object | null | undefined): Record<string, string> {
  const given = (filters ?? {}) as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const k of FILTER_KEYS) {
    const v = given[k];
    if (typeof v === 'string' && v !== '') out[k] = v;
  }
  return out;
}

/** A live subscription in the file's terms. */
export function stateOf(sub: Subscription): AppliedState {
  return {
    event: sub.event,
    url: sub.targetUrl,
    platform: sub.platform || 'custom',
    status: sub.status,
    filters: normalFilters(sub.filters),
  };
}

/** What apply sends to create `desired`, as canonical text (the record of an interrupted create compares it). */
export function createRequest(desired: AppliedState): {
  event: string;
  targetUrl: string;
  platform: string;
  filters?: Record<string, string>;
} {
  const filters = normalFilters(desired.filters);
  return {
    event: desired.event,
    targetUrl: desired.url,
    platform: desired.platform,
    ...(Object.keys(filters).length > 0 && { filters }),
  };
}

export const createRequestText = (desired: AppliedState): string => JSON.stringify(createRequest(desired));

const FIELDS: readonly FieldName[] = ['event', 'platform', 'url', 'filters', 'status'];
const IMMUTABLE: ReadonlySet<FieldName> = new Set(['event', 'platform']);

function valueOf(state: AppliedState, field: FieldName): string {
  return field === 'filters' ? filtersText(state.filters) : state[field];
}

const sameTarget = (a: AppliedState, b: AppliedState) =>
  a.event === b.event &&
  a.url === b.url &&
  a.platform === b.platform &&
  filtersText(a.filters) === filtersText(b.filters);

export function plan(input: PlanInput): Plan {
  const liveByUid = new Map(input.live.map((s) => [s.uid, s]));
  const claimed = new Set<string>();
  const result: Plan = {
    changes: [],
    adoptions: [],
    unmanaged: [],
    unchanged: [],
    forget: [],
    retired: [],
    uids: {},
  };
  const creates: Change[] = [];
  const replaces: Change[] = [];
  const updates: Change[] = [];
  const deletes: Change[] = [];
  const wanted = new Set(input.desired.map((d) => d.name));

  // Every recorded uid is claimed first, so neither a hint nor a match can hand it to a second name.
  for (const [name, record] of Object.entries(input.managed)) {
    if (wanted.has(name) && record.uid && liveByUid.has(record.uid)) claimed.add(record.uid);
  }
  const owner = new Map<string, string>();
  for (const d of input.desired) {
    const record = input.managed[d.name];
    if (record?.uid && liveByUid.has(record.uid)) owner.set(d.name, record.uid);
  }
  // An interrupted create may have made its subscription: that one is claimed by the resend, not adopted or pruned.
  for (const d of input.desired) {
    const pending = input.managed[d.name]?.pending;
    if (!pending) continue;
    const made = input.live.find((s) => !claimed.has(s.uid) && createRequestText(stateOf(s)) === pending.request);
    if (made) claimed.add(made.uid);
  }
  const adopt = (d: DesiredSubscription, sub: Subscription, via: Adoption['via']) => {
    claimed.add(sub.uid);
    owner.set(d.name, sub.uid);
    result.adoptions.push({
      name: d.name,
      uid: sub.uid,
      via,
      secretHeld: input.secretsHeld.has(sub.uid),
      live: stateOf(sub),
    });
  };
  for (const d of input.desired) {
    if (owner.has(d.name) || input.managed[d.name]?.pending || d.uid === undefined) continue;
    const hinted = liveByUid.get(d.uid);
    if (hinted && !claimed.has(hinted.uid)) adopt(d, hinted, 'hint');
  }
  for (const d of input.desired) {
    if (owner.has(d.name) || input.managed[d.name]?.pending) continue;
    const candidates = input.live
      .filter((s) => !claimed.has(s.uid) && !input.temporary.has(s.uid) && sameTarget(stateOf(s), d))
      .sort((a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? '') || a.uid.localeCompare(b.uid));
    if (candidates[0]) adopt(d, candidates[0], 'match');
  }

  for (const d of input.desired) {
    const record = input.managed[d.name];
    const uid = owner.get(d.name);
    const pending = record?.pending;
    const resumeKey = pending && pending.request === createRequestText(d) ? pending.idempotencyKey : undefined;
    if (uid === undefined) {
      const reason = pending && !record.uid ? 'resume' : record?.uid ? 'gone' : 'new';
      creates.push({
        action: 'create',
        name: d.name,
        desired: d,
        reason,
        ...(reason === 'gone' && { goneUid: record!.uid }),
        ...(resumeKey && { resumeKey }),
      });
      continue;
    }
    result.uids[d.name] = uid;
    const live = stateOf(liveByUid.get(uid)!);
    const applied = record?.uid === uid ? record.applied : undefined;
    const drift: Drift[] = [];
    for (const field of FIELDS) {
      const was = applied ? valueOf(applied, field) : undefined;
      const now = valueOf(live, field);
      if (was !== undefined && was !== now) drift.push({ field, applied: was, live: now });
      // Without a record, a failed subscription was still stopped by Pictify, not by anyone here.
      else if (was === undefined && field === 'status' && now === 'failed')
        drift.push({ field, applied: 'active', live: now });
    }
    const fields = FIELDS.filter((f) => valueOf(live, f) !== valueOf(d, f)).map((field) => ({
      field,
      from: valueOf(live, field),
      to: valueOf(d, field),
    }));
    if (fields.length === 0) {
      result.unchanged.push(d.name);
      continue;
    }
    if (fields.some((f) => IMMUTABLE.has(f.field))) {
      replaces.push({
        action: 'replace',
        name: d.name,
        uid,
        desired: d,
        fields,
        drift,
        ...(resumeKey && { resumeKey }),
      });
    } else {
      updates.push({ action: 'update', name: d.name, uid, desired: d, fields, drift });
    }
  }

  const nameOf = new Map<string, string>();
  const retiring = new Set<string>();
  for (const [name, record] of Object.entries(input.managed)) {
    if (record.uid) nameOf.set(record.uid, name);
    for (const old of record.retiring ?? []) {
      if (liveByUid.has(old)) retiring.add(old);
      else result.retired.push(old);
    }
    if (!wanted.has(name) && (!record.uid || !liveByUid.has(record.uid))) result.forget.push(name);
  }
  for (const sub of input.live) {
    if (claimed.has(sub.uid) || input.temporary.has(sub.uid)) continue;
    const reason = retiring.has(sub.uid) ? 'replaced' : input.prune ? 'prune' : undefined;
    if (!reason) {
      result.unmanaged.push(sub);
      continue;
    }
    const name = nameOf.get(sub.uid);
    deletes.push({
      action: 'delete',
      uid: sub.uid,
      ...(name !== undefined && { name }),
      reason,
      event: sub.event,
      url: sub.targetUrl,
    });
  }
  deletes.sort((a, b) => (a as { uid: string }).uid.localeCompare((b as { uid: string }).uid));
  result.changes = [...creates, ...replaces, ...updates, ...deletes];
  result.forget.sort();
  return result;
}

export interface PlanCounts {
  create: number;
  update: number;
  replace: number;
  delete: number;
  drift: number;
  adopt: number;
  unmanaged: number;
}

export function countPlan(p: Plan): PlanCounts {
  const count = (action: Change['action']) => p.changes.filter((c) => c.action === action).length;
  return {
    create: count('create'),
    update: count('update'),
    replace: count('replace'),
    delete: count('delete'),
    drift: p.changes.filter(
      (c) => ('drift' in c && c.drift.length > 0) || (c.action === 'create' && c.reason === 'gone'),
    ).length,
    adopt: p.adoptions.length,
    unmanaged: p.unmanaged.length,
  };
}
