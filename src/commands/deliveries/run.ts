// `deliveries`: the emulator's delivery log — one row per attempt, with the receiver's answer and the next retry.

import type { Context } from '../../cli/context.js';
import type { DeliveryAttempt } from '../../emulator/types.js';
import { present, presentNote } from '../../cli/present.js';
import { printable } from '../../output/printable.js';
import { renderTable, truncate } from '../../output/table.js';
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
  present(ctx, answer, (safe, s) => render(ctx, options, safe, s));
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
    d.at.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
    d.event,
    d.subscription,
    d.deliveryId,
    String(d.attempt),
    paint(d.status),
    d.statusCode !== undefined ? String(d.statusCode) : truncate(d.error ?? '-', 40),
    `${d.latencyMs}ms`,
    d.nextRetryAt ?? '-',
    truncate(d.responseBody.replace(/\s+/g, ' ').trim() || '-', 40),
  ]);
  return renderTable(
    ['time', 'event', 'subscription', 'delivery', 'attempt', 'status', 'code', 'latency', 'next retry', 'response'],
    rows,
    { style: (h) => s.bold(h) },
  );
}
