// `deliveries`: the emulator's delivery log — one row per attempt, with the receiver's answer and the next retry.

import type { Context } from '../../cli/context.js';
import type { DeliveryAttempt } from '../../emulator/types.js';
import { present, presentNote } from '../../cli/present.js';
import { printable } from '../../text/printable.js';
import { renderTable } from '../../output/table.js';
import type { Style } from '../../output/style.js';
import type { DeliveriesOptions } from './flags.js';

export interface DeliveryLogAnswer {
  /**
   * What the emulator's GET /_emulator/deliveries answers; `status` stays a string so a newer emulator's states
   * print.
   */
  deliveries: Array<Omit<DeliveryAttempt, 'status'> & { status: string }>;
  total: number;
  pending: Array<{
    deliveryId: string;
    subscription: string;
    event: string;
    attempts: number;
    nextAttemptAt: string | null;
  }>;
}

export async function run(ctx: Context, options: DeliveriesOptions): Promise<DeliveryLogAnswer> {
  const { callEmulator } = await import('../../cli/emulator-client.js');
  const query = new URLSearchParams({ limit: String(options.limit) });
  if (options.subscription) query.set('subscription', options.subscription);
  const answer = (await callEmulator(ctx, 'deliveries', {
    method: 'GET',
    path: `/_emulator/deliveries?${query}`,
  })) as DeliveryLogAnswer;
  // --json is an array like every other list: the attempts; a pending delivery's next try is its last attempt's
  // nextRetryAt, and the total is only the "showing the last n" note.
  present(ctx, answer, (safe, s) => render(ctx, options, safe, s), { json: answer.deliveries });
  if (answer.total > answer.deliveries.length && answer.deliveries.length > 0) {
    presentNote(ctx, answer, (safe, e) =>
      e.dim(`showing the last ${safe.deliveries.length} of ${safe.total} attempts; use --limit for more`),
    );
  }
  return answer;
}

/** The log as a table, from the sanitised answer (the receivers' answers and errors are not ours). */
function render(ctx: Context, options: DeliveriesOptions, answer: DeliveryLogAnswer, s: Style) {
  if (answer.deliveries.length === 0) {
    ctx.err(
      printable(
        `no deliveries yet${options.subscription ? ` for ${options.subscription}` : ''}; raise one with \`pictify-hooks trigger <event>\``,
      ),
    );
    return;
  }
  const paint = (status: string) =>
    status === 'delivered'
      ? s.green(status)
      : status === 'retrying'
        ? s.yellow(status)
        : status === 'failed'
          ? s.red(status)
          : s.dim(status);
  const rows = answer.deliveries.map((d) => [
    clock(d.at),
    d.event,
    d.subscription,
    d.deliveryId,
    String(d.attempt),
    d.statusCode !== undefined ? `${paint(d.status)} ${d.statusCode}` : paint(d.status),
    `${d.latencyMs}ms`,
    d.nextRetryAt ? clock(d.nextRetryAt) : '-',
    // What came back: the body, or (no answer) the network error — in the column that is cut to fit, never in the
    // status, whose width no cut reaches.
    (d.statusCode !== undefined ? d.responseBody : (d.error ?? '')).replace(/\s+/g, ' ').trim() || '-',
  ]);
  // 100 columns, like every table: the ids and the answer are cut with an ellipsis (full values in --json).
  return renderTable(
    ['time', 'event', 'subscription', 'delivery', '#', 'status', 'latency', 'retry', 'response'],
    rows,
    { style: (h) => s.bold(h), maxWidth: 100, shrink: [3, 2, 8] },
  );
}

/** "2026-12-07T03:04:31.123Z" → "03:04:31" (UTC): the date is the emulator session's, in --json in full. */
function clock(iso: string): string {
  return /T(\d\d:\d\d:\d\d)/.exec(iso)?.[1] ?? iso;
}
