// `events list|show`: what `listen` stored, newest first; `show` gives headers, the pretty body and the verdict.

import type { Context } from '../cli/context.js';
import { NotFoundError, UsageError } from '../cli/errors.js';
import { printJson } from '../output/json.js';
import { renderTable, truncate } from '../output/table.js';
import type { EventRecord } from '../store/event-store-record.js';
import { style } from './styles.js';

export interface EventsListOptions {
  store?: string;
  event?: string;
  limit: number;
}

async function load(ctx: Context, store: string | undefined) {
  const [{ readEventStore, skippedWarning }, { defaultStorePath }] = await Promise.all([
    import('../store/event-store-read.js'),
    import('../store/event-store.js'),
  ]);
  const file = store ?? defaultStorePath(ctx.configDir());
  let contents: Awaited<ReturnType<typeof readEventStore>>;
  try {
    contents = await readEventStore(file);
  } catch (error) {
    throw new UsageError(
      `cannot read the event store ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      {
        hint: 'pass the file listen wrote with --store <file>',
      },
    );
  }
  const warning = skippedWarning(contents);
  if (warning) ctx.err(warning);
  return { file, ...contents };
}

export function verdictLabel(record: EventRecord): string {
  const v = record.verdict;
  if (!v.ok) return `✗ ${v.reason ?? 'rejected'}`;
  let text = '✓';
  if (v.duplicate) text += ' duplicate';
  if (v.warnings?.length) text += ` (${v.warnings.length} warning${v.warnings.length === 1 ? '' : 's'})`;
  return text;
}

function listView(r: EventRecord) {
  return {
    id: r.id,
    receivedAt: r.receivedAt,
    event: r.event,
    deliveryId: r.deliveryId,
    status: r.status,
    verdict: r.verdict,
    method: r.method,
    path: r.path,
  };
}

export async function runList(ctx: Context, options: EventsListOptions): Promise<void> {
  const { file, records, exists } = await load(ctx, options.store);
  let selected = records;
  if (options.event !== undefined) {
    const { matchesGlob } = await import('../receiver/route.js');
    selected = selected.filter((r) => r.event !== null && matchesGlob(options.event as string, r.event));
  }
  const newestFirst = selected.slice(-options.limit).reverse();
  if (ctx.globals.json) return printJson(ctx, newestFirst.map(listView));
  if (newestFirst.length === 0) {
    ctx.err(
      !exists
        ? `No events yet: ${file} does not exist. Start \`pictify-hooks listen\` and send a delivery.`
        : `No events${options.event ? ` matching ${options.event}` : ''} in ${file}.`,
    );
    return;
  }
  const s = style(ctx);
  const rows = newestFirst.map((r) => {
    const verdict = verdictLabel(r);
    return [
      r.id,
      r.receivedAt.replace(/\.\d+Z$/, 'Z'),
      r.event ?? '-',
      r.verdict.ok ? s.green(verdict) : s.red(verdict),
      r.deliveryId ?? '-',
    ];
  });
  ctx.out(renderTable(['id', 'time', 'event', 'verdict', 'delivery id'], rows));
  if (selected.length > newestFirst.length)
    ctx.err(`Showing the newest ${newestFirst.length} of ${selected.length}; use --limit to see more.`);
}

export async function findOrThrow(ctx: Context, key: string, store: string | undefined) {
  const loaded = await load(ctx, store);
  const { findEvent } = await import('../store/event-store-read.js');
  const found = findEvent(loaded.records, key);
  if ('record' in found) return { record: found.record, loaded };
  if ('ambiguous' in found) {
    throw new UsageError(
      `"${key}" matches ${found.ambiguous.length} events: ${found.ambiguous
        .slice(0, 3)
        .map((r) => r.id)
        .join(', ')}…`,
      {
        hint: 'give more of the id',
      },
    );
  }
  throw new NotFoundError(`no event "${key}" in ${loaded.file}`, { hint: '`pictify-hooks events list` shows the ids' });
}

export async function runShow(ctx: Context, key: string, options: { store?: string }): Promise<void> {
  const { record } = await findOrThrow(ctx, key, options.store);
  const { decodeBody } = await import('../store/event-store-record.js');
  const raw = decodeBody(record);
  let payload: unknown;
  try {
    payload = record.bodyEncoding === 'utf8' && raw.length > 0 ? JSON.parse(raw.toString('utf8')) : undefined;
  } catch {
    payload = undefined;
  }
  if (ctx.globals.json) return printJson(ctx, { ...record, ...(payload !== undefined ? { payload } : {}) });

  const s = style(ctx);
  const v = record.verdict;
  const lines: string[] = [];
  lines.push(
    `${s.bold(record.id)}  ${record.receivedAt}  ${record.method} ${record.path}  from ${record.remoteAddress ?? 'unknown'}`,
  );
  lines.push(`event: ${record.event ?? '-'}   delivery id: ${record.deliveryId ?? '-'}   answered: ${record.status}`);
  lines.push(
    `verdict: ${v.ok ? s.green(verdictLabel(record)) : s.red(verdictLabel(record))}${v.message ? ` — ${v.message}` : ''}`,
  );
  if (v.matchedLabel) lines.push(`verified with: ${v.matchedLabel}`);
  for (const w of v.warnings ?? []) lines.push(s.yellow(`warning: ${w}`));
  if (record.forward) {
    const f = record.forward;
    lines.push(`forwarded to ${f.url}: ${f.error ?? `${f.status}`} (${Math.round(f.latencyMs)} ms)`);
  }
  lines.push('', s.bold('Headers'));
  for (const name of Object.keys(record.headers).sort()) {
    const value = record.headers[name];
    lines.push(`  ${name}: ${truncate(Array.isArray(value) ? value.join(', ') : value, 200)}`);
  }
  lines.push(
    '',
    s.bold(`Body (${record.bodyBytes} bytes${record.bodyEncoding === 'base64' ? ', not UTF-8: shown as base64' : ''})`),
  );
  if (record.bodyOmitted) lines.push('  (not kept: the request was refused before its body was read)');
  else if (payload !== undefined) lines.push(JSON.stringify(payload, null, 2));
  else lines.push(record.body);
  ctx.out(lines.join('\n'));
}
