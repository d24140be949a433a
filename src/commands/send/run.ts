// `send`: posts signed sample events (or a verbatim payload) to a receiver the way Pictify delivers them, checks
// the answers against --expect, and with --count/--concurrency turns into a small load generator.

import type { Context } from '../../cli/context.js';
import { buildDelivery, newDeliveryId, parseHeaderArg } from '../../outbound/build.js';
import { checkHeaderValue } from '../../outbound/header-value.js';
import {
  composeEventBody,
  composeEventTemplate,
  eventOfPayload,
  parseDataOverride,
  sampleTimeMs,
  type BodyOverrides,
} from '../../outbound/compose.js';
import type { LoadResult } from '../../outbound/load.js';
import {
  formatLoadSummary,
  formatOutcome,
  loadSummaryJson,
  networkHint,
  RESPONSE_BODY_LIMIT,
  toOutcome,
  type SendOutcome,
} from '../../outbound/report.js';
import { DEFAULT_SEND_TIMEOUT_MS, parseExpect, type ExpectedStatus } from '../../outbound/options.js';
import { FailureError, InterruptedError, UsageError } from '../../cli/errors.js';
import { EVENT_NAMES, type EventName } from '../../events/names.js';
import { parseSetArgument } from '../../events/set.js';
import { present, presentItem } from '../../cli/present.js';
import { symbols } from '../../output/style.js';
import { parseEventName } from '../../cli/flags.js';
import { errStyle } from '../shared/styles.js';
import { readPayloadArg } from '../shared/payload-arg.js';
import { resolveDelivery } from '../shared/resolve-secrets.js';
import { warnIfPlainHttp } from '../shared/plain-http.js';
import type { SendFlags } from './flags.js';
import { InputError } from '../../errors.js';

export const DEFAULT_CONCURRENCY = 10;

/** The flags checked together, with the events, --set, --header and --expect parsed and a default timeout. */
export type SendOptions = Omit<SendFlags, 'all' | 'set' | 'header' | 'expect' | 'timeoutMs'> & {
  events: EventName[];
  /** `--set path=value`, in order. */
  sets: Array<{ path: string; raw: string }>;
  headers: Record<string, string>;
  expect: ExpectedStatus;
  timeoutMs: number;
};

export function parseSendFlags(eventArgs: string[], flags: SendFlags): SendOptions {
  if (flags.all && eventArgs.length > 0) throw new UsageError('give events or --all, not both');
  const events: EventName[] = flags.all ? [...EVENT_NAMES] : eventArgs.map((e) => parseEventName(e));
  if (flags.payload !== undefined) {
    if (flags.all || events.length > 1)
      throw new UsageError('--payload sends one body: give at most one event (for X-Pictify-Event)');
    if (flags.set.length || flags.data !== undefined) {
      throw new UsageError('--payload is sent verbatim and cannot be combined with --set or --data');
    }
  } else if (events.length === 0) {
    throw new UsageError('no event to send', { hint: `name one or more of ${EVENT_NAMES.join(', ')}, or pass --all` });
  }
  if (flags.concurrency !== undefined && flags.count === undefined) {
    throw new UsageError('--concurrency only applies with --count');
  }
  const headers: Record<string, string> = {};
  for (const h of flags.header) {
    let name: string;
    let value: string;
    try {
      [name, value] = parseHeaderArg(h);
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw new UsageError(`--header: ${(error as Error).message}`);
    }
    headers[name.toLowerCase()] = value;
  }
  if (flags.deliveryId !== undefined && flags.deliveryId.trim() === '')
    throw new UsageError('--delivery-id must not be empty');
  if (flags.deliveryId !== undefined) checkHeaderValue('X-Pictify-Delivery-Id', flags.deliveryId, '--delivery-id');
  const { all: _all, set, header: _header, expect, timeoutMs, ...rest } = flags;
  return {
    ...rest,
    events,
    sets: set.map((s) => parseSetArgument(s)),
    headers,
    expect: parseExpect(expect),
    timeoutMs: timeoutMs ?? DEFAULT_SEND_TIMEOUT_MS,
  };
}

/** Everything a delivery needs once flags, files and the secret are resolved. */
export interface ResolvedSend {
  url: URL;
  secret: string;
  overrides: BodyOverrides;
  payload?: Buffer;
}

export async function run(ctx: Context, options: SendOptions): Promise<void> {
  const { signing, url } = await resolveDelivery(ctx, { ...options, urlFlag: '--url <url>' });
  warnIfPlainHttp(ctx, url, 'the delivery and its signature travel');

  const overrides: BodyOverrides = { sets: options.sets };
  if (options.data !== undefined) overrides.data = parseDataOverride(await readPayloadArg(ctx, options.data, '--data'));
  const payload = options.payload === undefined ? undefined : await readPayloadArg(ctx, options.payload, '--payload');
  const payloadEvent = payload && eventOfPayload(payload);
  if (payloadEvent) checkHeaderValue('X-Pictify-Event', payloadEvent, `the "event" of --payload`);
  const resolved: ResolvedSend = { url, secret: signing.secret, overrides, payload };

  if (options.count !== undefined) await sendLoad(ctx, options, resolved, options.count);
  else await sendEach(ctx, options, resolved);
}

/** One delivery per event, in order, each reported as it completes. */
async function sendEach(ctx: Context, options: SendOptions, target: ResolvedSend): Promise<void> {
  const { createDeliveryAgent, postDelivery } = await import('../../outbound/post.js');
  const agent = await createDeliveryAgent({ connections: 1, timeoutMs: options.timeoutMs });
  const planned: Array<EventName | undefined> = options.events.length > 0 ? options.events : [undefined];
  const outcomes: SendOutcome[] = [];
  try {
    for (const name of planned) {
      const deliveryId = options.deliveryId ?? newDeliveryId();
      const nowMs = sampleTimeMs(options.timestamp, ctx.now());
      const event = name ?? (target.payload ? eventOfPayload(target.payload) : undefined);
      const body =
        target.payload ?? composeEventBody(name as EventName, { deliveryId, nowMs, overrides: target.overrides });
      const timestamp = options.timestamp ?? Math.floor(nowMs / 1000);
      const request = buildDelivery({
        body,
        secret: target.secret,
        timestamp,
        event,
        deliveryId,
        extraHeaders: options.headers,
      });
      const result = await postDelivery(target.url, request, {
        timeoutMs: options.timeoutMs,
        dispatcher: agent,
        maxBodyBytes: RESPONSE_BODY_LIMIT,
      });
      const outcome = toOutcome({ event, deliveryId, timestamp, url: target.url, expect: options.expect, result });
      outcomes.push(outcome);
      reportOutcome(ctx, outcome, planned.length);
    }
  } finally {
    await agent.destroy();
  }
  const failed = outcomes.filter((o) => !o.ok);
  if (failed.length === 0) return;
  if (planned.length === 1) {
    const [only] = failed;
    throw new FailureError(only.error ? only.error.message : `got ${only.status}, expected ${options.expect.text}`, {
      hint: only.error ? networkHint(only.error.kind) : undefined,
    });
  }
  throw new FailureError(`${failed.length} of ${outcomes.length} deliveries failed (expected ${options.expect.text})`);
}

/** One delivery's outcome: an NDJSON line, or its line and the (sanitised) start of the receiver's answer. */
function reportOutcome(ctx: Context, outcome: SendOutcome, planned: number): void {
  presentItem(ctx, outcome, (o, s) => {
    if (!o.error) return formatOutcome(o, s);
    // A lone delivery's network error is reported once, by the FailureError.
    if (planned > 1) ctx.err(`${errStyle(ctx).red(symbols.fail)} ${o.event ?? 'payload'}: ${o.error.message}`);
  });
}

/** Load mode: n deliveries, a progress bar on a TTY, one summary. */
async function sendLoad(ctx: Context, options: SendOptions, target: ResolvedSend, count: number): Promise<void> {
  const { runLoad } = await import('../../outbound/load.js');
  const nowMs = sampleTimeMs(options.timestamp, ctx.now());
  const bodies = target.payload
    ? [{ event: options.events[0] ?? eventOfPayload(target.payload), bytes: target.payload }]
    : options.events.map((event) =>
        options.deliveryId === undefined
          ? composeEventTemplate(event, { nowMs, overrides: target.overrides })
          : {
              event,
              head: composeEventBody(event, { deliveryId: options.deliveryId, nowMs, overrides: target.overrides }),
            },
      );
  const progress = { completed: 0 };
  const stop = new AbortController();
  const unsubscribe = ctx.onSignal('SIGINT', () => stop.abort());
  const { startProgressBar } = await import('../../outbound/progress-bar.js');
  const bar = ctx.io.stderrIsTTY
    ? startProgressBar(ctx.io.stderr, count, progress, () => performance.now())
    : undefined;
  let result: LoadResult;
  try {
    result = await runLoad({
      url: target.url,
      bodies,
      secret: target.secret,
      timestamp: options.timestamp,
      nowMs: () => ctx.now(),
      deliveryId: options.deliveryId,
      extraHeaders: options.headers,
      count,
      concurrency: Math.min(options.concurrency ?? DEFAULT_CONCURRENCY, count),
      timeoutMs: options.timeoutMs,
      expect: options.expect,
      signal: stop.signal,
      progress,
    });
  } finally {
    bar?.stop();
    unsubscribe();
  }
  present(ctx, result, (safe, s) => formatLoadSummary(safe, target.url, options.expect, s), {
    json: loadSummaryJson(result, target.url, options.expect),
  });
  if (result.interrupted) throw new InterruptedError(`interrupted after ${result.sent} of ${count} deliveries`);
  if (result.failed > 0) {
    throw new FailureError(`${result.failed} of ${result.sent} deliveries failed (expected ${options.expect.text})`);
  }
}
