// How a subscription is shown: a detail block for one, a table for many, and the --json form with the secret
// masked (only `create` prints the secret, once, because that is the only time the API returns it).
import type { Subscription } from '../../api/index.js';
import type { Context } from '../../cli/context.js';
import { withAge } from '../../output/age.js';
import { maskSecret } from '../../output/mask.js';
import { renderTable, truncate } from '../../output/table.js';
import { style } from './styles.js';
import { symbols } from '../../output/style.js';

export function withMaskedSecret(sub: Subscription): Subscription {
  return sub.secret ? { ...sub, secret: maskSecret(sub.secret) } : sub;
}

function filtersText(sub: Subscription): string {
  const f = sub.filters ?? {};
  const parts = Object.entries(f)
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `${k}=${String(v)}`);
  return parts.join(' ') || '-';
}

export function statusText(ctx: Context, status: string): string {
  const s = style(ctx);
  return status === 'active' ? s.green(status) : status === 'failed' ? s.red(status) : s.yellow(status);
}

export function renderSubscriptionDetail(ctx: Context, sub: Subscription): string {
  const rows: Array<[string, string | undefined]> = [
    ['uid', sub.uid],
    ['event', sub.event],
    ['url', sub.targetUrl],
    ['platform', sub.platform],
    ['status', statusText(ctx, sub.status)],
    ['filters', filtersText(sub)],
    [
      'deliveries',
      sub.deliveryCount === undefined ? undefined : `${sub.deliveryCount} (${sub.failureCount ?? 0} failed)`,
    ],
    ['last delivery', sub.lastDeliveryAt ? withAge(sub.lastDeliveryAt, ctx.now()) : undefined],
    ['created', sub.createdAt && withAge(sub.createdAt, ctx.now())],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${style(ctx).dim(k.padEnd(width))}  ${v}`)
    .join('\n');
}

/** `12`, or `12 (3✗)` when some failed; `-` when the API does not say. */
function deliveriesCell(sub: Subscription): string {
  if (sub.deliveryCount === undefined) return '-';
  const failed = sub.failureCount ?? 0;
  return failed > 0 ? `${sub.deliveryCount} (${failed}${symbols.fail})` : String(sub.deliveryCount);
}

export function renderSubscriptionTable(ctx: Context, subs: Subscription[]): string {
  return renderTable(
    ['uid', 'event', 'status', 'url', 'filters', 'deliveries'],
    subs.map((sub) => [
      sub.uid,
      sub.event,
      statusText(ctx, sub.status),
      truncate(sub.targetUrl, 48),
      filtersText(sub),
      deliveriesCell(sub),
    ]),
    { style: (h) => style(ctx).bold(h) },
  );
}
