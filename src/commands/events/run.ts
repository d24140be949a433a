// `events list|show`: what `listen` stored, newest first; `show` gives headers, the pretty body and the verdict.

import type { Context } from '../../cli/context.js';
import type { EventsListOptions } from './flags.js';
import { NotFoundError, UsageError } from '../../cli/errors.js';
import { present, presentNote } from '../../cli/present.js';
import { jsonText, printable } from '../../text/printable.js';
import { verdictLabel } from '../../receiver/describe.js';
import { parsedPayload, recordSummary } from '../../store/event-store-record.js';
import type { StoreContents } from '../../store/event-store-read.js';
import { renderTable, truncate } from '../../output/table.js';

/** Reads the store at --store (else the default one) with `read`, streamed; an unreadable store is a usage error. */
async function load<T extends Pick<StoreContents, 'skipped'>>(
  ctx: Context,
  store: string | undefined,
  read: (reader: typeof import('../../store/event-store-read.js'), file: string) => Promise<T>,
): Promise<T & { file: string }> {
  const [reader, { defaultStorePath, openFailure }] = await Promise.all([
    import('../../store/event-store-read.js'),
    import('../../store/event-store.js'),
  ]);
  const file = store ?? defaultStorePath(ctx.configDir());
  let contents: T;
  try {
    contents = await read(reader, file);
  } catch (error) {
    throw new UsageError(`cannot read the event store ${file}: ${openFailure(error, file)}`, {
      hint: 'pass the file listen wrote with --store <file>',
    });
  }
  const warning = reader.skippedWarning(contents);
  if (warning) ctx.err(printable(warning));
  return { file, ...contents };
}

export async function runList(ctx: Context, options: EventsListOptions): Promise<void> {
  let accept: ((event: string | null) => boolean) | undefined;
  if (options.event !== undefined) {
    const { matchesGlob } = await import('../../receiver/route.js');
    const glob = options.event;
    // Asked once per stored line: a store holds a handful of event names.
    const seen = new Map<string, boolean>();
    accept = (event) => {
      if (event === null) return false;
      let ok = seen.get(event);
      if (ok === undefined) seen.set(event, (ok = matchesGlob(glob, event)));
      return ok;
    };
  }
  const { file, records, exists, total } = await load(ctx, options.store, (r, path) =>
    r.readEventStoreTail(path, options.limit, accept),
  );
  const matching = total;
  const newestFirst = records.slice().reverse();
  const summaries = newestFirst.map((r) => recordSummary(r, parsedPayload(r)));
  present(ctx, summaries, (rows, s) => {
    if (rows.length === 0) {
      ctx.err(
        printable(
          !exists
            ? `No events yet: ${file} does not exist. Start \`pictify-hooks listen\` and send a delivery.`
            : `No events${options.event ? ` matching ${options.event}` : ''} in ${file}.`,
        ),
      );
      return;
    }
    const table = rows.map((r) => {
      const verdict = verdictLabel(r.verdict, { countWarnings: true });
      return [
        r.id,
        r.receivedAt.replace(/\.\d+Z$/, 'Z'),
        r.event ?? '-',
        r.verdict.ok ? s.green(verdict) : s.red(verdict),
        r.deliveryId ?? '-',
      ];
    });
    return renderTable(['id', 'time', 'event', 'verdict', 'delivery id'], table);
  });
  if (matching > newestFirst.length)
    presentNote(ctx, null, () => `Showing the newest ${newestFirst.length} of ${matching}; use --limit to see more.`);
}

export async function findOrThrow(ctx: Context, key: string, store: string | undefined) {
  const loaded = await load(ctx, store, (r, path) => r.findStoredEvent(path, key));
  const { found } = loaded;
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
  const payload = parsedPayload(record);
  present(ctx, { ...record, ...(payload !== undefined ? { payload } : {}) }, (r, s) => {
    const v = r.verdict;
    const label = verdictLabel(v, { countWarnings: true });
    const lines: string[] = [];
    lines.push(`${s.bold(r.id)}  ${r.receivedAt}  ${r.method} ${r.path}  from ${r.remoteAddress ?? 'unknown'}`);
    lines.push(`event: ${r.event ?? '-'}   delivery id: ${r.deliveryId ?? '-'}   answered: ${r.status}`);
    lines.push(`verdict: ${v.ok ? s.green(label) : s.red(label)}${v.message ? ` — ${v.message}` : ''}`);
    if (v.matchedLabel) lines.push(`verified with: ${v.matchedLabel}`);
    for (const w of v.warnings ?? []) lines.push(s.yellow(`warning: ${w}`));
    if (r.forward) {
      const f = r.forward;
      lines.push(`forwarded to ${f.url}: ${f.error ?? `${f.status}`} (${Math.round(f.latencyMs)} ms)`);
    }
    lines.push('', s.bold('Headers'));
    for (const name of Object.keys(r.headers).sort()) {
      const value = r.headers[name];
      lines.push(`  ${name}: ${truncate(Array.isArray(value) ? value.join(', ') : value, 200)}`);
    }
    lines.push(
      '',
      s.bold(`Body (${r.bodyBytes} bytes${r.bodyEncoding === 'base64' ? ', not UTF-8: shown as base64' : ''})`),
    );
    if (r.bodyOmitted) lines.push('  (not kept: the request was refused before its body was read)');
    // The body as it was, not its one-line sanitised copy: pretty JSON (escapes its own controls) or the text.
    else if (payload !== undefined) lines.push(jsonText(payload, 2));
    else lines.push(printable(record.body, { keepNewlines: true }));
    return lines;
  });
}
