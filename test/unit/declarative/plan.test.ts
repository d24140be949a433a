// The planner, pure: desired + live + the profile's record → changes. One row per situation a user meets.
import { describe, expect, it } from 'vitest';
import type { Subscription } from '../../../src/api/index.js';
import { createRequestText, plan, type PlanInput } from '../../../src/declarative/plan.js';
import type { DesiredSubscription, ManagedName } from '../../../src/declarative/types.js';

const want = (name: string, over: Partial<DesiredSubscription> = {}): DesiredSubscription => ({
  name,
  event: 'render.completed',
  url: `https://example.com/${name}`,
  platform: 'custom',
  status: 'active',
  filters: {},
  line: 1,
  ...over,
});

const live = (uid: string, over: Partial<Subscription> = {}): Subscription => ({
  uid,
  event: 'render.completed',
  targetUrl: `https://example.com/${uid}`,
  platform: 'custom',
  status: 'active',
  filters: {},
  createdAt: '2026-01-01T00:00:00.000Z',
  ...over,
});

const applied = (d: DesiredSubscription) => ({
  event: d.event,
  url: d.url,
  platform: d.platform,
  status: d.status,
  filters: d.filters,
});

function run(over: Partial<PlanInput>) {
  return plan({
    desired: [],
    live: [],
    managed: {},
    secretsHeld: new Set(),
    temporary: new Set(),
    prune: false,
    ...over,
  });
}

/** Each change as one short line: `create a new`, `update a wh_1 url`, `delete wh_9 prune`. */
const summary = (p: ReturnType<typeof plan>) =>
  p.changes.map((c) =>
    c.action === 'create'
      ? `create ${c.name} ${c.reason}${c.resumeKey ? ' resume-key' : ''}`
      : c.action === 'delete'
        ? `delete ${c.uid} ${c.reason}`
        : `${c.action} ${c.name} ${c.uid} ${c.fields.map((f) => f.field).join(',')}${c.drift.length ? ` drift:${c.drift.map((d) => `${d.field}=${d.live}`).join(',')}` : ''}`,
  );

const a = want('a');
const recordA = (uid: string, over: Partial<ManagedName> = {}): Record<string, ManagedName> => ({
  a: { uid, applied: applied(a), ...over },
});

interface Row {
  what: string;
  input: Partial<PlanInput>;
  changes: string[];
  adopted?: string[];
  unmanaged?: string[];
  forget?: string[];
  retired?: string[];
}

const rows: Row[] = [
  { what: 'a new name is created', input: { desired: [a] }, changes: ['create a new'] },
  {
    what: 'a recorded name as the file wants it: nothing',
    input: { desired: [a], live: [live('wh_1', { targetUrl: a.url })], managed: recordA('wh_1') },
    changes: [],
  },
  {
    what: 'a url edited in the file is an update in place, not drift',
    input: {
      desired: [want('a', { url: 'https://example.com/new' })],
      live: [live('wh_1', { targetUrl: a.url })],
      managed: recordA('wh_1'),
    },
    changes: ['update a wh_1 url'],
  },
  {
    what: 'filters edited in the file: update',
    input: {
      desired: [want('a', { filters: { templateId: 't2' } })],
      live: [live('wh_1', { targetUrl: a.url })],
      managed: recordA('wh_1'),
    },
    changes: ['update a wh_1 filters'],
  },
  {
    what: 'paused in the file: update of the status',
    input: {
      desired: [want('a', { status: 'paused' })],
      live: [live('wh_1', { targetUrl: a.url })],
      managed: recordA('wh_1'),
    },
    changes: ['update a wh_1 status'],
  },
  {
    what: 'an event edited in the file is a replace (Pictify cannot change it)',
    input: {
      desired: [want('a', { event: 'render.failed' })],
      live: [live('wh_1', { targetUrl: a.url })],
      managed: recordA('wh_1'),
    },
    changes: ['replace a wh_1 event'],
  },
  {
    what: 'a platform edited in the file is a replace too',
    input: {
      desired: [want('a', { platform: 'zapier' })],
      live: [live('wh_1', { targetUrl: a.url })],
      managed: recordA('wh_1'),
    },
    changes: ['replace a wh_1 platform'],
  },
  {
    what: 'a url changed in the dashboard is drift, set back by an update',
    input: {
      desired: [a],
      live: [live('wh_1', { targetUrl: 'https://dashboard.example/x' })],
      managed: recordA('wh_1'),
    },
    changes: ['update a wh_1 url drift:url=https://dashboard.example/x'],
  },
  {
    what: 'failed by Pictify after failed deliveries: drift, resumed',
    input: { desired: [a], live: [live('wh_1', { targetUrl: a.url, status: 'failed' })], managed: recordA('wh_1') },
    changes: ['update a wh_1 status drift:status=failed'],
  },
  {
    what: 'paused outside: drift',
    input: { desired: [a], live: [live('wh_1', { targetUrl: a.url, status: 'paused' })], managed: recordA('wh_1') },
    changes: ['update a wh_1 status drift:status=paused'],
  },
  {
    what: 'failed with no record of what was applied is still drift (Pictify stopped it)',
    input: { desired: [a], live: [live('wh_1', { targetUrl: a.url, status: 'failed' })] },
    changes: ['update a wh_1 status drift:status=failed'],
    adopted: ['a=wh_1 match'],
  },
  {
    what: 'a dashboard change that already equals the file: nothing to do',
    input: {
      desired: [want('a', { url: 'https://example.com/moved' })],
      live: [live('wh_1', { targetUrl: 'https://example.com/moved' })],
      managed: recordA('wh_1'),
    },
    changes: [],
  },
  {
    what: 'a recorded subscription deleted in the dashboard is created again (drift)',
    input: { desired: [a], live: [], managed: recordA('wh_gone') },
    changes: ['create a gone'],
  },
  {
    what: 'first run: a live one with the same event, url and filters is adopted, not created',
    input: { desired: [a], live: [live('wh_1', { targetUrl: a.url })], secretsHeld: new Set(['wh_1']) },
    changes: [],
    adopted: ['a=wh_1 match'],
  },
  {
    what: 'adoption needs equal filters',
    input: {
      desired: [want('a', { filters: { templateId: 't1' } })],
      live: [live('wh_1', { targetUrl: a.url, filters: { templateId: 't2' } })],
    },
    changes: ['create a new'],
    unmanaged: ['wh_1'],
  },
  {
    what: 'two equal live ones: the older is adopted, the other stays unmanaged',
    input: {
      desired: [a],
      live: [
        live('wh_2', { targetUrl: a.url, createdAt: '2026-02-01T00:00:00.000Z' }),
        live('wh_1', { targetUrl: a.url, createdAt: '2026-01-01T00:00:00.000Z' }),
      ],
    },
    changes: [],
    adopted: ['a=wh_1 match'],
    unmanaged: ['wh_2'],
  },
  {
    what: 'a uid hint in the file adopts that one even when its url differs, then updates it',
    input: { desired: [want('a', { uid: 'wh_7' })], live: [live('wh_7')] },
    changes: ['update a wh_7 url'],
    adopted: ['a=wh_7 hint'],
  },
  {
    what: 'a hint to a uid that is gone is ignored: match, else create',
    input: { desired: [want('a', { uid: 'wh_gone' })], live: [live('wh_1', { targetUrl: a.url })] },
    changes: [],
    adopted: ['a=wh_1 match'],
  },
  {
    what: 'a recorded uid is never adopted by a second name',
    input: {
      desired: [a, want('b', { url: a.url })],
      live: [live('wh_1', { targetUrl: a.url })],
      managed: recordA('wh_1'),
    },
    changes: ['create b new'],
  },
  {
    what: 'not in the file and no --prune: listed as unmanaged',
    input: { desired: [a], live: [live('wh_1', { targetUrl: a.url }), live('wh_9')], managed: recordA('wh_1') },
    changes: [],
    unmanaged: ['wh_9'],
  },
  {
    what: '--prune deletes what no name claims',
    input: {
      desired: [a],
      live: [live('wh_1', { targetUrl: a.url }), live('wh_9')],
      managed: recordA('wh_1'),
      prune: true,
    },
    changes: ['delete wh_9 prune'],
  },
  {
    what: "--prune never deletes listen's temporary subscriptions",
    input: { desired: [], live: [live('wh_tmp')], temporary: new Set(['wh_tmp']), prune: true },
    changes: [],
  },
  {
    what: 'a name removed from the file leaves its subscription unmanaged (kept without --prune)',
    input: { desired: [], live: [live('wh_1', { targetUrl: a.url })], managed: recordA('wh_1') },
    changes: [],
    unmanaged: ['wh_1'],
  },
  {
    what: 'a name removed from the file whose subscription is gone is forgotten',
    input: { desired: [], live: [], managed: recordA('wh_1') },
    changes: [],
    forget: ['a'],
  },
  {
    what: 'an interrupted create is resent with its Idempotency-Key, and what it made is not adopted or pruned',
    input: {
      desired: [a],
      live: [live('wh_made', { targetUrl: a.url })],
      managed: { a: { pending: { idempotencyKey: 'k1', request: createRequestText(a), at: 'x' } } },
      prune: true,
    },
    changes: ['create a resume resume-key'],
  },
  {
    what: 'an interrupted create whose file entry changed since gets a new key',
    input: {
      desired: [want('a', { url: 'https://example.com/other' })],
      managed: { a: { pending: { idempotencyKey: 'k1', request: createRequestText(a), at: 'x' } } },
    },
    changes: ['create a resume'],
  },
  {
    what: 'an interrupted replace: its create is resent with the same key',
    input: {
      desired: [want('a', { event: 'render.failed' })],
      live: [live('wh_1', { targetUrl: a.url })],
      managed: recordA('wh_1', {
        pending: { idempotencyKey: 'k2', request: createRequestText(want('a', { event: 'render.failed' })), at: 'x' },
      }),
    },
    changes: ['replace a wh_1 event'],
  },
  {
    what: 'a replace stopped before its delete: the old one is deleted without --prune',
    input: {
      desired: [a],
      live: [live('wh_new', { targetUrl: a.url }), live('wh_old')],
      managed: recordA('wh_new', { retiring: ['wh_old'] }),
    },
    changes: ['delete wh_old replaced'],
  },
  {
    what: 'a replace whose delete happened but went unanswered: the old record is dropped, nothing deleted',
    input: {
      desired: [a],
      live: [live('wh_new', { targetUrl: a.url })],
      managed: recordA('wh_new', { retiring: ['wh_old'] }),
    },
    changes: [],
    retired: ['wh_old'],
  },
  {
    what: 'creates first, then replaces, updates and deletes',
    input: {
      desired: [want('u', { url: 'https://example.com/u2' }), want('r', { event: 'binding.failed' }), want('c')],
      live: [
        live('wh_u', { targetUrl: 'https://example.com/u' }),
        live('wh_r', { targetUrl: 'https://example.com/r' }),
        live('wh_x'),
      ],
      managed: {
        u: { uid: 'wh_u', applied: applied(want('u')) },
        r: { uid: 'wh_r', applied: applied(want('r')) },
      },
      prune: true,
    },
    changes: ['create c new', 'replace r wh_r event', 'update u wh_u url', 'delete wh_x prune'],
  },
];

describe('plan', () => {
  for (const row of rows) {
    it(row.what, () => {
      const p = run(row.input);
      expect(summary(p)).toEqual(row.changes);
      expect(p.adoptions.map((x) => `${x.name}=${x.uid} ${x.via}`)).toEqual(row.adopted ?? []);
      expect(p.unmanaged.map((s) => s.uid)).toEqual(row.unmanaged ?? []);
      expect(p.forget).toEqual(row.forget ?? []);
      expect(p.retired).toEqual(row.retired ?? []);
    });
  }

  it('says whether an adopted subscription’s secret is held', () => {
    const p = run({
      desired: [a, want('b')],
      live: [live('wh_1', { targetUrl: a.url }), live('wh_2', { targetUrl: want('b').url })],
      secretsHeld: new Set(['wh_1']),
    });
    expect(p.adoptions.map((x) => [x.name, x.secretHeld])).toEqual([
      ['a', true],
      ['b', false],
    ]);
    expect(p.uids).toEqual({ a: 'wh_1', b: 'wh_2' });
  });

  it('carries the resume key of an interrupted create', () => {
    const p = run({
      desired: [a],
      managed: { a: { pending: { idempotencyKey: 'k1', request: createRequestText(a), at: 'x' } } },
    });
    expect(p.changes[0]).toMatchObject({ action: 'create', resumeKey: 'k1' });
  });

  it('a replace says which fields and keeps the drift it found', () => {
    const p = run({
      desired: [want('a', { event: 'render.failed' })],
      live: [live('wh_1', { targetUrl: 'https://dash.example/y' })],
      managed: recordA('wh_1'),
    });
    expect(p.changes[0]).toMatchObject({
      action: 'replace',
      fields: [
        { field: 'event', from: 'render.completed', to: 'render.failed' },
        { field: 'url', from: 'https://dash.example/y', to: a.url },
      ],
      drift: [{ field: 'url', applied: a.url, live: 'https://dash.example/y' }],
    });
  });
});
