// What plan, apply and import share: reading the file and the live subscriptions, and showing a plan.
// The engine is src/declarative/; this is wiring and wording.
import type { ApiClient } from '../../api/index.js';
import { MAX_LIMIT } from '../../api/contract.js';
import type { Context } from '../../cli/context.js';
import { currentApi } from './resolve-secrets.js';
import { readSubscriptionsFile } from '../../declarative/load.js';
import {
  countPlan,
  plan as makePlan,
  type Change,
  type Drift,
  type Plan,
  type PlanCounts,
} from '../../declarative/plan.js';
import { ManagedState } from '../../declarative/state.js';
import { DEFAULT_FILE, type SubscriptionsFile } from '../../declarative/types.js';
import type { Style } from '../../output/style.js';
import { profileName } from './profile-name.js';
import type { FileOptions } from './subscriptions-as-code-flags.js';

export type { FileOptions } from './subscriptions-as-code-flags.js';

export async function loadFile(ctx: Context, options: FileOptions): Promise<SubscriptionsFile> {
  return readSubscriptionsFile({ path: options.file ?? DEFAULT_FILE, profile: profileName(ctx), env: ctx.env });
}

export interface Planned {
  file: SubscriptionsFile;
  plan: Plan;
  state: ManagedState;
  api: ApiClient;
  liveCount: number;
}

/** Reads every page of live subscriptions and the profile's record, and plans. */
export async function planFor(ctx: Context, file: SubscriptionsFile, options: FileOptions): Promise<Planned> {
  const api = await ctx.api();
  const live = await api.listAllSubscriptions({ limit: MAX_LIMIT });
  const state = new ManagedState(await ctx.config(), file.profile, await currentApi(ctx));
  const view = state.view();
  const plan = makePlan({
    desired: file.subscriptions,
    live,
    managed: view.managed,
    secretsHeld: view.secretsHeld,
    temporary: view.temporary,
    prune: Boolean(options.prune),
  });
  return { file, plan, state, api, liveCount: live.length };
}

/** The plan as --json shows it (and as the human renderer reads it). */
export interface PlanView {
  file: string;
  profile: string;
  /** Subscriptions in the file, and live ones in the profile's account. */
  wanted: number;
  live: number;
  changesPending: boolean;
  summary: PlanCounts;
  changes: ChangeView[];
  adopted: Array<{ name: string; uid: string; via: string; secretHeld: boolean }>;
  unmanaged: Array<{ uid: string; event: string; url: string; status: string }>;
  unchanged: string[];
}

export interface ChangeView {
  action: Change['action'];
  name?: string;
  uid?: string;
  reason?: string;
  event: string;
  url: string;
  filters?: string;
  fields: Array<{ field: string; from: string; to: string }>;
  drift: Drift[];
  /** A new subscription with a new secret (create, replace): its receiver needs the new secret. */
  newSecret: boolean;
  resumeIdempotencyKey?: boolean;
}

export function planView(p: Planned): PlanView {
  const changes = p.plan.changes.map((c): ChangeView => {
    if (c.action === 'delete') {
      return {
        action: c.action,
        name: c.name,
        uid: c.uid,
        reason: c.reason,
        event: c.event,
        url: c.url,
        fields: [],
        drift: [],
        newSecret: false,
      };
    }
    const d = c.desired;
    const filters = Object.entries(d.filters)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    return {
      action: c.action,
      name: c.name,
      ...(c.action !== 'create' && { uid: c.uid }),
      ...(c.action === 'create' && { reason: c.reason, ...(c.goneUid && { uid: c.goneUid }) }),
      event: d.event,
      url: d.url,
      ...(filters && { filters }),
      fields: c.action === 'create' ? [] : c.fields,
      drift: c.action === 'create' ? [] : c.drift,
      newSecret: c.action === 'create' || c.action === 'replace',
      ...((c.action === 'create' || c.action === 'replace') && c.resumeKey && { resumeIdempotencyKey: true }),
    };
  });
  return {
    file: p.file.path,
    profile: p.file.profile,
    wanted: p.file.subscriptions.length,
    live: p.liveCount,
    changesPending: p.plan.changes.length > 0,
    summary: countPlan(p.plan),
    changes,
    adopted: p.plan.adoptions.map((a) => ({ name: a.name, uid: a.uid, via: a.via, secretHeld: a.secretHeld })),
    unmanaged: p.plan.unmanaged.map((s) => ({ uid: s.uid, event: s.event, url: s.targetUrl, status: s.status })),
    unchanged: p.plan.unchanged,
  };
}

const SIGN = { create: '+', update: '~', replace: '±', delete: '-' } as const;

function driftText(d: Drift): string {
  if (d.field === 'status' && d.live === 'failed') return 'stopped by Pictify after failed deliveries (failed)';
  if (d.field === 'status' && d.live === 'paused') {
    return 'paused outside pictify-hooks (the dashboard, or Pictify after failed deliveries)';
  }
  return `${d.field} changed outside pictify-hooks (the dashboard?): ${d.live || '(none)'}, was ${d.applied || '(none)'}`;
}

function changeLines(c: ChangeView, s: Style, width: number): string[] {
  const who = (c.name ?? c.uid ?? '').padEnd(width);
  const head = `  ${SIGN[c.action]} ${c.action.padEnd(8)} ${who}`;
  const target = `${c.event} → ${c.url}${c.filters ? ` (${c.filters})` : ''}`;
  const lines: string[] = [];
  if (c.action === 'create') {
    const why =
      c.reason === 'gone'
        ? ` — drift: ${c.uid} was deleted outside pictify-hooks; a new subscription, new secret`
        : c.reason === 'resume'
          ? ` — resends a create an interrupted apply sent${c.resumeIdempotencyKey ? ' (same Idempotency-Key)' : ''}`
          : '';
    lines.push(s.green(`${head}  ${target}${why}`));
  } else if (c.action === 'delete') {
    const why = c.reason === 'replaced' ? 'the old half of an unfinished replace' : 'not in the file (--prune)';
    lines.push(s.red(`${head}${c.name ? ` ${c.uid}` : ''}  ${c.event} → ${c.url} — ${why}`));
  } else {
    const fields = c.fields.map((f) => `${f.field}: ${f.from || '(none)'} → ${f.to || '(none)'}`).join('; ');
    const paint = c.action === 'replace' ? s.magenta : s.yellow;
    lines.push(paint(`${head} ${c.uid}  ${fields}`));
    if (c.action === 'replace') {
      lines.push(
        s.bold(`      new subscription, new secret — receivers must switch (${c.uid} is deleted once it exists)`),
      );
    }
  }
  for (const d of c.drift) lines.push(s.yellow(`      ! drift: ${driftText(d)}`));
  return lines;
}

export function renderPlan(v: PlanView, s: Style): string[] {
  const lines = [
    `${v.file} for profile "${v.profile}": ${count(v.wanted, 'subscription')} in the file, ${v.live} live.`,
  ];
  const width = Math.max(
    0,
    ...v.changes.map((c) => (c.name ?? c.uid ?? '').length),
    ...v.adopted.map((a) => a.name.length),
  );
  for (const c of v.changes) lines.push(...changeLines(c, s, width));
  for (const a of v.adopted) {
    const how = a.via === 'hint' ? 'its uid is in the file' : 'it matches the event, url and filters';
    const secret = a.secretHeld ? 'secret held' : 'no secret held here';
    lines.push(s.cyan(`  = adopt    ${a.name.padEnd(width)} ${a.uid}  ${how}; ${secret}`));
  }
  for (const u of v.unmanaged) {
    lines.push(
      s.dim(`  ? unmanaged ${u.uid}  ${u.event} → ${u.url} (${u.status}) — not in the file; apply --prune deletes it`),
    );
  }
  const t = v.summary;
  if (!v.changesPending) {
    const notes = [
      ...(t.adopt ? [`${t.adopt} adopted, recorded by the next apply`] : []),
      ...(t.unmanaged ? [`${count(t.unmanaged, 'unmanaged subscription')} left alone`] : []),
    ];
    lines.push(`No changes: Pictify matches the file${notes.length ? ` (${notes.join('; ')})` : ''}.`);
  } else {
    const drift = t.drift ? `, ${t.drift} drifted` : '';
    lines.push(
      `Plan: ${t.create} to create, ${t.update} to update, ${t.replace} to replace, ${t.delete} to delete${drift}.`,
    );
  }
  return lines;
}

export function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}
