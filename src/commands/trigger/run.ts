// `trigger <event>`: asks a running emulator to raise an event; it delivers a signed copy to every active
// subscription whose filters match, exactly as Pictify would, and answers with the first attempts' outcome.

import type { Context } from '../../cli/context.js';
import { UsageError } from '../../cli/errors.js';
import { parseSetArgument } from '../../events/set.js';
import { present, presentNote } from '../../cli/present.js';
import { symbols, type Style } from '../../output/style.js';
import { parseEventName } from '../../cli/flags.js';
import { errStyle } from '../shared/styles.js';
import { readPayloadArg } from '../shared/payload-arg.js';
import type { TriggerFlags } from './flags.js';

export interface TriggerOptions {
  event: string;
  /** `path=value` pairs, applied by the emulator after `data` is merged over the sample. */
  set: string[];
  data?: Record<string, unknown>;
  /** Wait for the first attempts (up to the emulator's limit) so their outcome can be shown. */
  wait: boolean;
}

export interface TriggerAnswer {
  event: string;
  matched: number;
  deliveries: Array<{
    deliveryId: string;
    subscription: string;
    targetUrl: string;
    attempt: number;
    status: string;
    statusCode?: number;
    latencyMs?: number;
    error?: string;
    nextRetryAt?: string;
  }>;
}

export async function toOptions(ctx: Context, event: string, flags: TriggerFlags): Promise<TriggerOptions> {
  const set = flags.set;
  for (const item of set) parseSetArgument(item);
  let data: Record<string, unknown> | undefined;
  if (flags.data !== undefined) {
    const raw = (await readPayloadArg(ctx, flags.data, '--data')).toString('utf8');
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (error) {
      throw new UsageError(`--data: not valid JSON (${(error as Error).message})`, {
        hint: 'give a JSON object, e.g. --data @data.json',
      });
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new UsageError('--data: expected a JSON object (the event data fields to override)');
    }
    data = parsed as Record<string, unknown>;
  }
  return { event: parseEventName(event), set, data, wait: !flags.noWait };
}

export async function run(ctx: Context, options: TriggerOptions): Promise<TriggerAnswer> {
  const { callEmulator } = await import('../../cli/emulator-client.js');
  const answer = (await callEmulator(ctx, 'trigger', {
    method: 'POST',
    path: `/_emulator/events${options.wait ? '' : '?wait=0'}`,
    body: { event: options.event, ...(options.data && { data: options.data }), set: options.set },
  })) as TriggerAnswer;

  present(ctx, answer, (safe, s) => render(ctx, options, safe, s));
  if (answer.deliveries.length > 0) {
    presentNote(
      ctx,
      answer,
      (safe) =>
        `${safe.deliveries.length} ${safe.deliveries.length === 1 ? 'delivery' : 'deliveries'} started; \`pictify-hooks deliveries\` shows retries`,
    );
  }
  return answer;
}

/** One line per first attempt, from the sanitised answer (targets' errors are not ours). */
function render(ctx: Context, options: TriggerOptions, answer: TriggerAnswer, s: Style): string[] | undefined {
  if (answer.deliveries.length === 0) {
    ctx.err(
      `${errStyle(ctx).yellow(symbols.warn)} no active subscription to ${options.event} matched; nothing was delivered (see \`pictify-hooks list\`)`,
    );
    return undefined;
  }
  const lines: string[] = [];
  for (const d of answer.deliveries) {
    const ok = d.status === 'delivered';
    const mark = ok ? s.green(symbols.ok) : d.status === 'pending' ? s.yellow(symbols.pending) : s.red(symbols.fail);
    const outcome = d.statusCode !== undefined ? String(d.statusCode) : (d.error ?? d.status);
    const parts = [mark, d.deliveryId, d.subscription, symbols.arrow, d.targetUrl, outcome];
    if (d.latencyMs !== undefined) parts.push(`${d.latencyMs}ms`);
    if (d.status !== 'delivered' && outcome !== d.status) parts.push(d.status); // one status: not "pending pending"
    if (d.statusCode !== undefined && d.error) parts.push(`(${d.error})`);
    if (d.nextRetryAt) parts.push(`retry at ${d.nextRetryAt}`);
    lines.push(parts.join(' '));
  }
  return lines;
}
