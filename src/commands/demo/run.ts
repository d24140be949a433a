// `demo`: the whole loop on one machine, offline. It runs the real pieces — the emulator, the API client, the
// listen receiver with its event store, the replay command — against a throwaway profile in a temp folder, so
// what it shows is what the product does, not a recording.

import type { Context } from '../../cli/context.js';
import { currentApi } from '../shared/resolve-secrets.js';
import type { EventRecord } from '../../store/event-store-record.js';
import { FailureError } from '../../cli/errors.js';
import { EVENT_NAMES } from '../../events/names.js';
import { present, wantsJson } from '../../cli/present.js';
import { maskSecret } from '../../output/mask.js';
import type { RunningEmulator } from '../../emulator/index.js';
import type { Style } from '../../output/style.js';
import { style } from '../shared/styles.js';
import { flagValues } from '../../cli/spec.js';

const DEMO_PROFILE = 'demo';
const DEMO_KEY = 'pk_test_demo_local_only';
const DELIVERY_WAIT_MS = 10_000;

interface DemoSummary {
  ok: boolean;
  subscriptions: number;
  delivered: number;
  verified: number;
  replay: { status: number | null; accepted: boolean; duplicate: boolean };
  tampered: { status: number | null; rejected: boolean; reason: string | null };
  subscribe: { ok: boolean; publicUrl: string | null; verified: boolean; left: number };
  durationMs: number;
}

/** What every step shares: the user's Context, the demo's child Context, and the step printer. */
interface Demo {
  ctx: Context;
  child: Context;
  s: Style;
  /** A line of the walkthrough (nothing with --json). */
  say: (line?: string) => void;
  dir: string;
  emulator: RunningEmulator;
  /** Run last first when the demo ends, however it ends. */
  cleanups: Array<() => Promise<unknown>>;
}

/** The deliveries listen has stored so far, and who waits for which delivery id. */
interface Seen {
  records: EventRecord[];
  arrivals: Map<string, (record: EventRecord) => void>;
}

export async function run(ctx: Context): Promise<void> {
  const started = performance.now();
  const [{ mkdtemp, rm }, { tmpdir }, { join }] = await Promise.all([
    import('node:fs/promises'),
    import('node:os'),
    import('node:path'),
  ]);
  const json = wantsJson(ctx);
  const s = style(ctx);
  const say = (line = '') => (json ? undefined : ctx.out(line));
  const dir = await mkdtemp(join(tmpdir(), 'pictify-hooks-demo-'));
  const cleanups: Array<() => Promise<unknown>> = [() => rm(dir, { recursive: true, force: true })];

  try {
    const { startEmulator } = await import('../../emulator/index.js');
    const emulator = await startEmulator({ port: 0 });
    cleanups.unshift(() => emulator.close());
    const child = await childContext(ctx, dir, emulator.url);
    const demo: Demo = { ctx, child, s, say, dir, emulator, cleanups };

    say(s.bold('pictify-hooks demo — the webhook loop on this machine, offline'));
    say(`${s.dim('1.')} Emulator of the Pictify API   ${emulator.url}`);
    // Known before the subscriptions that point at it are created.
    const receiverPort = await (await import('../../receiver/tunnel/start.js')).freeLoopbackPort();
    await createSubscriptions(demo, `http://127.0.0.1:${receiverPort}/webhooks/pictify`);
    const seen: Seen = { records: [], arrivals: new Map() };
    const receiver = await startDemoReceiver(demo, receiverPort, seen);
    say(`${s.dim('3.')} listen, verifying every delivery          ${receiver.url}`);

    const delivered = await triggerAll(demo, seen);
    const verified = seen.records.filter((r) => r.verdict.ok).length;
    const first = seen.records.find((r) => r.verdict.ok);
    if (!first) throw new FailureError('no delivery verified, so there is nothing to replay');
    const replay = await replayStep(demo, first, receiver.url, seen);
    const tampered = await tamperStep(demo, first, receiver.url, seen);

    say(`${s.dim('7.')} Real Pictify → localhost: listen --subscribe through a loopback stand-in tunnel`);
    await receiver.close();
    const subscribe = await subscribeStep(child, emulator, dir);

    const summary: DemoSummary = {
      ok: verified === EVENT_NAMES.length && replay.accepted && tampered.rejected && subscribe.ok,
      subscriptions: EVENT_NAMES.length,
      delivered,
      verified,
      replay,
      tampered,
      subscribe,
      durationMs: Math.round(performance.now() - started),
    };
    present(ctx, summary, summaryLines);
    if (!summary.ok) throw new FailureError('the demo did not go as expected (see above)');
  } finally {
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
  }
}

/** A child Context: same terminal, but a throwaway config dir, profile and API address. */
async function childContext(ctx: Context, dir: string, emulatorUrl: string): Promise<Context> {
  const { createContext } = await import('../../cli/node-context.js');
  const json = wantsJson(ctx);
  const child = createContext({
    io: {
      ...ctx.io,
      stdin: null,
      stdout: json ? { write: () => true } : indented(ctx.io.stdout),
      stderr: json ? { write: () => true } : indented(ctx.io.stderr),
    },
    env: {
      ...ctx.env,
      PICTIFY_HOOKS_CONFIG_DIR: dir,
      PICTIFY_PROFILE: DEMO_PROFILE,
      PICTIFY_BASE_URL: emulatorUrl,
      PICTIFY_API_KEY: DEMO_KEY,
      PICTIFY_WEBHOOK_SECRET: '',
    },
    now: () => ctx.now(),
    onSignal: ctx.onSignal,
    proc: ctx.proc,
  });
  child.globals = { color: ctx.globals.color };
  return child;
}

async function createSubscriptions({ child, s, say, cleanups }: Demo, targetUrl: string): Promise<void> {
  say(`${s.dim('2.')} Subscriptions, created through the API client (secrets kept in a temporary profile)`);
  const api = await child.api();
  cleanups.unshift(() => api.close());
  const config = await child.config();
  for (const event of EVENT_NAMES) {
    const sub = await api.createSubscription({ event, targetUrl });
    if (!sub.secret) throw new FailureError(`the emulator returned no secret for ${sub.uid}`);
    config.saveSecret(DEMO_PROFILE, sub.uid, {
      secret: sub.secret,
      event,
      targetUrl,
      baseUrl: await currentApi(child),
      createdAt: sub.createdAt,
    });
    say(`   ${s.green('✓')} ${sub.uid}  ${event.padEnd(16)}  secret ${maskSecret(sub.secret)} saved`);
  }
}

/** listen's receiver and event store, verifying with the profile's secrets; every delivery is shown and noted. */
async function startDemoReceiver({ ctx, child, s, say, dir, cleanups }: Demo, port: number, seen: Seen) {
  const [{ resolveVerifyingSecrets }, { startReceiver }, { EventStore }, { describeDelivery, formatDeliveryLine }] =
    await Promise.all([
      import('../shared/resolve-secrets.js'),
      import('../../receiver/index.js'),
      import('../../store/event-store.js'),
      import('../../receiver/describe.js'),
    ]);
  const { join } = await import('node:path');
  const store = await EventStore.open(join(dir, 'events.jsonl'));
  cleanups.unshift(() => store.close());
  const receiver = await startReceiver({
    port,
    path: '/webhooks/pictify',
    secrets: await resolveVerifyingSecrets(child, undefined),
    store,
    now: () => ctx.now(),
    onDelivery: (record, payload) => {
      seen.records.push(record);
      say(`   ${formatDeliveryLine(s, describeDelivery(record, payload), record)}`);
      if (record.deliveryId) seen.arrivals.get(record.deliveryId)?.(record);
    },
  });
  cleanups.unshift(() => receiver.close());
  return receiver;
}

/** Step 4: one delivery of every event type; returns how many the emulator delivered. */
async function triggerAll({ s, say, emulator }: Demo, seen: Seen): Promise<number> {
  say(`${s.dim('4.')} Trigger every event type: the emulator signs and delivers, listen verifies and stores`);
  let delivered = 0;
  for (const event of EVENT_NAMES) {
    const deliveries = await emulator.trigger({ event }, DELIVERY_WAIT_MS);
    for (const d of deliveries) {
      if (d.status === 'pending' || d.statusCode !== undefined) delivered += 1;
      await waitForArrival(seen.arrivals, seen.records, d.deliveryId);
    }
  }
  return delivered;
}

/** Step 5: `replay` of the first verified delivery, which listen must take as a duplicate. */
async function replayStep(
  { child, s, say }: Demo,
  first: EventRecord,
  url: string,
  seen: Seen,
): Promise<DemoSummary['replay']> {
  say(`${s.dim('5.')} Replay the first delivery: re-signed with a fresh timestamp, same delivery id`);
  const [{ run: replay }, { parseTarget }] = await Promise.all([
    import('../replay/run.js'),
    import('../../outbound/target.js'),
  ]);
  const before = seen.records.length;
  let replayError: unknown;
  await replay(child, {
    ids: [first.id],
    all: false,
    to: parseTarget(url, 'listen'),
    asIs: false,
    timeoutMs: 10_000,
  }).catch((e) => (replayError = e));
  const replayed = seen.records[before];
  const summary = {
    status: replayed?.status ?? null,
    accepted: replayError === undefined && replayed?.verdict.ok === true,
    duplicate: replayed?.verdict.duplicate === true,
  };
  if (summary.duplicate) say(`   ${s.dim('listen recognised the delivery id: answered 200, not processed twice')}`);
  return summary;
}

/** Step 6: one byte changed, original signature kept: listen must refuse it. */
async function tamperStep(
  { s, say }: Demo,
  first: EventRecord,
  url: string,
  seen: Seen,
): Promise<DemoSummary['tampered']> {
  say(`${s.dim('6.')} Tamper with one byte of a stored body and resend it with its original signature`);
  const tampered = await sendTampered(first, url);
  const tamperedRecord = seen.records[seen.records.length - 1];
  return {
    status: tampered.status ?? null,
    rejected: tampered.status === 401,
    reason: tamperedRecord && !tamperedRecord.verdict.ok ? (tamperedRecord.verdict.reason ?? null) : null,
  };
}

/** The closing summary, for people; --json prints the summary itself. */
function summaryLines(summary: DemoSummary, s: Style): string[] {
  const { delivered, verified, replay, tampered, subscribe } = summary;
  const mark = (ok: boolean) => (ok ? s.green('✓') : s.red('✗'));
  return [
    '',
    s.bold('Summary'),
    `   ${mark(verified === EVENT_NAMES.length)} ${delivered}/${EVENT_NAMES.length} event types delivered by the emulator, ${verified} verified by listen`,
    `   ${mark(replay.accepted)} replay accepted (${replay.status ?? 'no answer'}${replay.duplicate ? ', deduplicated' : ''})`,
    `   ${mark(tampered.rejected)} tampered delivery rejected (${tampered.status ?? 'no answer'} ${tampered.reason ?? ''})`.trimEnd(),
    `   ${mark(subscribe.ok)} listen --subscribe: a temporary subscription at the tunnel url, delivery ` +
      `${subscribe.verified ? 'verified' : 'NOT verified'}, ` +
      `deleted when listen stopped (${subscribe.left} left)`,
    `   ${s.dim(`${(summary.durationMs / 1000).toFixed(1)} s · try it for real: npx pictify-hooks emulator --port 4010, then README → Receive in your app`)}`,
  ];
}

/**
 * listen --subscribe as a user runs it, in-process: a stand-in tunnel (a loopback child process), a temporary
 * subscription on the emulator at its url, one delivery through it, and nothing left once listen exits.
 */
async function subscribeStep(
  child: Context,
  emulator: RunningEmulator,
  dir: string,
): Promise<DemoSummary['subscribe']> {
  const [{ join }, { readFile }, { toOptions, run: listen }, { flags }, { writeStandInTunnel, STAND_IN_URL_PATTERN }] =
    await Promise.all([
      import('node:path'),
      import('node:fs/promises'),
      import('../listen/run.js'),
      import('../listen/flags.js'),
      import('../../receiver/tunnel/stand-in.js'),
    ]);
  const readyFile = join(dir, 'listen-subscribe.ready');
  const options = toOptions(
    flagValues(
      flags,
      {
        port: '0',
        store: join(dir, 'subscribe.jsonl'),
        exitAfter: '1',
        timeoutMs: '20s',
        readyFile,
        subscribe: ['render.completed'],
        tunnelCommand: await writeStandInTunnel(dir, child.proc.execPath),
        tunnelUrlPattern: STAND_IN_URL_PATTERN,
        tunnelTimeoutMs: '10s',
      },
      child,
    ),
  );
  const before = new Set(emulator.store.subscriptions().map((sub) => sub.uid));
  let failure: unknown;
  const listening = listen(child, options).catch((error) => (failure = error));
  const deadline = Date.now() + 15_000;
  while (!(await readFile(readyFile, 'utf8').catch(() => '')) && failure === undefined && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 50));
  const made = emulator.store.subscriptions().find((sub) => !before.has(sub.uid));
  if (failure === undefined && made) await emulator.trigger({ event: 'render.completed' }, DELIVERY_WAIT_MS);
  await listening;
  if (failure instanceof Error && failure.message) child.err(`listen --subscribe failed: ${failure.message}`);
  const left = emulator.store.subscriptions().filter((sub) => !before.has(sub.uid)).length;
  const verified = failure === undefined && made !== undefined;
  return {
    ok: verified && left === 0,
    publicUrl: made ? made.targetUrl.replace(/\/webhooks\/pictify$/, '') : null,
    verified,
    left,
  };
}

async function sendTampered(record: EventRecord, url: string) {
  const [{ decodeBody }, { postDelivery }] = await Promise.all([
    import('../../store/event-store-record.js'),
    import('../../outbound/post.js'),
  ]);
  const body = Buffer.from(decodeBody(record));
  const at = body.indexOf('"event"');
  body[at + 1] = 'E'.charCodeAt(0);
  const headers: Record<string, string> = {};
  for (const name of ['content-type', 'x-pictify-signature', 'x-pictify-event', 'x-pictify-delivery-id']) {
    const v = record.headers[name];
    if (v !== undefined) headers[name] = Array.isArray(v) ? v.join(', ') : v;
  }
  // A fresh delivery id, so the rejection comes from the signature, not from dedupe.
  headers['x-pictify-delivery-id'] = `${headers['x-pictify-delivery-id'] ?? 'del_demo'}_tampered`;
  return postDelivery(url, { body, headers }, { timeoutMs: 10_000 });
}

function waitForArrival(
  arrivals: Map<string, (record: EventRecord) => void>,
  seen: ReadonlyArray<EventRecord>,
  deliveryId: string,
): Promise<void> {
  if (seen.some((r) => r.deliveryId === deliveryId)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new FailureError(`delivery ${deliveryId} did not reach listen within ${DELIVERY_WAIT_MS / 1000} s`)),
      DELIVERY_WAIT_MS,
    );
    arrivals.set(deliveryId, () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** What the commands the demo runs print sits under its step, like the rest. */
function indented(writer: { write(chunk: string): unknown }): { write(chunk: string): unknown } {
  return { write: (chunk: string) => writer.write(chunk.replace(/^(?=.)/gm, '   ')) };
}
