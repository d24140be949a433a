// `demo`: the whole loop on one machine, offline. It runs the real pieces — the emulator, the API client, the
// listen receiver with its event store, the replay command — against a throwaway profile in a temp folder, so
// what it shows is what the product does, not a recording.

import type { Context } from '../cli/context.js';
import type { EventRecord } from '../store/event-store-record.js';
import { FailureError } from '../cli/errors.js';
import { EVENT_NAMES } from '../events/names.js';
import { printJson } from '../output/json.js';
import { maskSecret } from '../output/mask.js';
import { style } from './styles.js';

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

export async function run(ctx: Context): Promise<void> {
  const started = performance.now();
  const [{ mkdtemp, rm }, { tmpdir }, { join }, { createContext }] = await Promise.all([
    import('node:fs/promises'),
    import('node:os'),
    import('node:path'),
    import('../cli/node-context.js'),
  ]);
  const json = Boolean(ctx.globals.json);
  const s = style(ctx);
  const say = (line = '') => (json ? undefined : ctx.out(line));
  const dir = await mkdtemp(join(tmpdir(), 'pictify-hooks-demo-'));
  const cleanups: Array<() => Promise<unknown>> = [() => rm(dir, { recursive: true, force: true })];

  try {
    const { startEmulator } = await import('../emulator/index.js');
    const emulator = await startEmulator({ port: 0 });
    cleanups.unshift(() => emulator.close());

    // A child Context: same terminal, but a throwaway config dir, profile and API address.
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
        PICTIFY_BASE_URL: emulator.url,
        PICTIFY_API_KEY: DEMO_KEY,
        PICTIFY_WEBHOOK_SECRET: '',
      },
      now: () => ctx.now(),
      onSignal: ctx.onSignal,
    });
    child.globals = { color: ctx.globals.color };

    say(s.bold('pictify-hooks demo — the webhook loop on this machine, offline'));
    say(`${s.dim('1.')} Emulator of the Pictify API   ${emulator.url}`);
    const receiverPort = await freePort();
    const targetUrl = `http://127.0.0.1:${receiverPort}/webhooks/pictify`;

    say(`${s.dim('2.')} Subscriptions, created through the API client (secrets kept in a temporary profile)`);
    const api = await child.api();
    cleanups.unshift(() => api.close());
    const config = await child.config();
    for (const event of EVENT_NAMES) {
      const sub = await api.createSubscription({ event, targetUrl });
      if (!sub.secret) throw new FailureError(`the emulator returned no secret for ${sub.uid}`);
      config.saveSecret(DEMO_PROFILE, sub.uid, { secret: sub.secret, event, targetUrl, createdAt: sub.createdAt });
      say(`   ${s.green('✓')} ${sub.uid}  ${event.padEnd(16)}  secret ${maskSecret(sub.secret)} saved`);
    }

    const [{ resolveVerifyingSecrets }, { startReceiver }, { EventStore }, { describeDelivery, formatDeliveryLine }] =
      await Promise.all([
        import('./resolve-secrets.js'),
        import('../receiver/index.js'),
        import('../store/event-store.js'),
        import('../receiver/describe.js'),
      ]);
    const store = await EventStore.open(join(dir, 'events.jsonl'));
    cleanups.unshift(() => store.close());
    const arrivals = new Map<string, (record: EventRecord) => void>();
    const seen: Array<EventRecord> = [];
    const receiver = await startReceiver({
      port: receiverPort,
      path: '/webhooks/pictify',
      secrets: await resolveVerifyingSecrets(child, undefined),
      store,
      now: () => ctx.now(),
      onDelivery: (record, payload) => {
        seen.push(record);
        say(`   ${formatDeliveryLine(s, describeDelivery(record, payload), record)}`);
        if (record.deliveryId) arrivals.get(record.deliveryId)?.(record);
      },
    });
    cleanups.unshift(() => receiver.close());
    say(`${s.dim('3.')} listen, verifying every delivery          ${receiver.url}`);

    say(`${s.dim('4.')} Trigger every event type: the emulator signs and delivers, listen verifies and stores`);
    let delivered = 0;
    for (const event of EVENT_NAMES) {
      const deliveries = await emulator.trigger({ event }, DELIVERY_WAIT_MS);
      for (const d of deliveries) {
        if (d.status === 'pending' || d.statusCode !== undefined) delivered += 1;
        await waitForArrival(arrivals, seen, d.deliveryId);
      }
    }
    const verified = seen.filter((r) => r.verdict.ok).length;

    say(`${s.dim('5.')} Replay the first delivery: re-signed with a fresh timestamp, same delivery id`);
    const first = seen.find((r) => r.verdict.ok);
    if (!first) throw new FailureError('no delivery verified, so there is nothing to replay');
    const [{ run: replay }, { parseTarget }] = await Promise.all([
      import('./replay-run.js'),
      import('../outbound/target.js'),
    ]);
    const before = seen.length;
    let replayError: unknown;
    await replay(child, {
      ids: [first.id],
      all: false,
      to: parseTarget(receiver.url, 'listen'),
      asIs: false,
      timeoutMs: 10_000,
    }).catch((e) => (replayError = e));
    const replayed = seen[before];
    const replaySummary = {
      status: replayed?.status ?? null,
      accepted: replayError === undefined && replayed?.verdict.ok === true,
      duplicate: replayed?.verdict.duplicate === true,
    };
    if (replaySummary.duplicate)
      say(`   ${s.dim('listen recognised the delivery id: answered 200, not processed twice')}`);

    say(`${s.dim('6.')} Tamper with one byte of a stored body and resend it with its original signature`);
    const tampered = await sendTampered(first, receiver.url);
    const tamperedRecord = seen[seen.length - 1];
    const tamperedSummary = {
      status: tampered.status ?? null,
      rejected: tampered.status === 401,
      reason: tamperedRecord && !tamperedRecord.verdict.ok ? (tamperedRecord.verdict.reason ?? null) : null,
    };

    say(`${s.dim('7.')} Real Pictify → localhost: listen --subscribe through a loopback stand-in tunnel`);
    await receiver.close();
    const subscribeSummary = await subscribeStep(child, emulator, dir);

    const summary: DemoSummary = {
      ok: verified === EVENT_NAMES.length && replaySummary.accepted && tamperedSummary.rejected && subscribeSummary.ok,
      subscriptions: EVENT_NAMES.length,
      delivered,
      verified,
      replay: replaySummary,
      tampered: tamperedSummary,
      subscribe: subscribeSummary,
      durationMs: Math.round(performance.now() - started),
    };
    if (json) printJson(ctx, summary);
    else {
      const mark = (ok: boolean) => (ok ? s.green('✓') : s.red('✗'));
      say();
      say(s.bold('Summary'));
      say(
        `   ${mark(verified === EVENT_NAMES.length)} ${delivered}/${EVENT_NAMES.length} event types delivered by the emulator, ${verified} verified by listen`,
      );
      say(
        `   ${mark(replaySummary.accepted)} replay accepted (${replaySummary.status ?? 'no answer'}${replaySummary.duplicate ? ', deduplicated' : ''})`,
      );
      say(
        `   ${mark(tamperedSummary.rejected)} tampered delivery rejected (${tamperedSummary.status ?? 'no answer'} ${tamperedSummary.reason ?? ''})`.trimEnd(),
      );
      say(
        `   ${mark(subscribeSummary.ok)} listen --subscribe: a temporary subscription at the tunnel url, delivery ` +
          `${subscribeSummary.verified ? 'verified' : 'NOT verified'}, ` +
          `deleted when listen stopped (${subscribeSummary.left} left)`,
      );
      say(
        `   ${s.dim(`${(summary.durationMs / 1000).toFixed(1)} s · try it for real: pictify-hooks emulator & pictify-hooks listen (see README → Local development)`)}`,
      );
    }
    if (!summary.ok) throw new FailureError('the demo did not go as expected (see above)');
  } finally {
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
  }
}

/**
 * listen --subscribe as a user runs it, in-process: a stand-in tunnel (a loopback child process), a temporary
 * subscription on the emulator at its url, one delivery through it, and nothing left once listen exits.
 */
async function subscribeStep(
  child: Context,
  emulator: import('../emulator/index.js').RunningEmulator,
  dir: string,
): Promise<DemoSummary['subscribe']> {
  const [{ join }, { readFile }, { toOptions, run: listen }, { writeStandInTunnel, STAND_IN_URL_PATTERN }] =
    await Promise.all([
      import('node:path'),
      import('node:fs/promises'),
      import('./listen-run.js'),
      import('../receiver/tunnel/stand-in.js'),
    ]);
  const readyFile = join(dir, 'listen-subscribe.ready');
  const options = toOptions({
    port: '0',
    host: '127.0.0.1',
    forwardTimeout: '30s',
    store: join(dir, 'subscribe.jsonl'),
    storeMax: '50mb',
    maxBody: '1mb',
    exitAfter: '1',
    timeout: '20s',
    readyFile,
    subscribe: ['render.completed'],
    tunnelCommand: await writeStandInTunnel(dir, child.proc.execPath),
    tunnelUrlPattern: STAND_IN_URL_PATTERN,
    tunnelTimeout: '10s',
  });
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
    import('../store/event-store-record.js'),
    import('../outbound/post.js'),
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

/** A free loopback port for listen, known before the subscriptions that point at it are created. */
async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as import('node:net').AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
