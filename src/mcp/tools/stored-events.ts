// What `listen` stored: a listing, one delivery in full (headers with credentials redacted, the raw body and the
// parsed payload) and a bounded wait for the next one. Read from the store file, so any listen, earlier or running,
// is seen.
import { stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { EVENT_NAMES } from '../../events/names.js';
import { isGlob, matchesGlob } from '../../events/glob.js';
import { findEvent, readEventStore, readEventStoreTail } from '../../store/event-store-read.js';
import { rotatedPath } from '../../store/event-store.js';
import type { EventRecord } from '../../store/event-store-record.js';
import type { McpHost } from '../host.js';
import { defineTool, storedIdField } from '../tool.js';
import { eventDetailView, eventSummaryView } from '../views.js';

/** MCP clients commonly give up on a call after 60 s: a wait stays below that. */
export const MAX_WAIT_SECONDS = 55;
const POLL_MS = 200;

const eventPattern = z
  .string()
  .max(100)
  .refine((v) => EVENT_NAMES.some((e) => matchesGlob(v, e)) && (isGlob(v) || EVENT_NAMES.includes(v as never)), {
    message: `an event or a glob matching one: ${EVENT_NAMES.join(', ')}, render.*`,
  })
  .describe('an event name or glob, e.g. render.*');

function accepts(pattern: string | undefined): (record: EventRecord) => boolean {
  return (r) => pattern === undefined || (r.event !== null && matchesGlob(pattern, r.event));
}

export const listEvents = defineTool({
  name: 'list_events',
  title: 'List received deliveries',
  description:
    'Deliveries `pictify-hooks listen` received and stored, newest first: verdict (verified or why not), event, ' +
    'delivery id, parsed payload. get_event shows one with its headers and raw body.',
  input: {
    event: eventPattern.optional(),
    limit: z.number().int().min(1).max(100).optional().describe('default 20'),
  },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async run(args, { host }) {
    const tail = await readEventStoreTail(host.storePath, args.limit ?? 20, accepts(args.event));
    return {
      store: host.storePath,
      total: tail.total,
      events: tail.records.slice().reverse().map(eventSummaryView),
      ...(tail.exists ? {} : { note: 'no store yet: start `pictify-hooks listen` and send a delivery' }),
      ...(tail.skipped.length ? { unreadableLines: tail.skipped.length } : {}),
    };
  },
});

export const getEvent = defineTool({
  name: 'get_event',
  title: 'Get one received delivery',
  description: 'One stored delivery: verdict, headers (credentials redacted), the raw body and the parsed payload.',
  input: { id: storedIdField },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async run({ id }, { host }) {
    return eventDetailView(await findStored(host, id));
  },
});

/** A stored delivery by id, delivery id or unique prefix; an error that says which when it is not one. */
export async function findStored(host: McpHost, id: string): Promise<EventRecord> {
  const { records } = await readEventStore(host.storePath);
  const found = findEvent(records, id);
  if ('record' in found) return found.record;
  if ('ambiguous' in found) {
    const some = found.ambiguous.slice(0, 3).map((r) => r.id);
    throw new Error(`"${id}" matches ${found.ambiguous.length} events (${some.join(', ')}…): give more of the id`);
  }
  throw new Error(`no event "${id}" in ${host.storePath} (list_events shows the ids)`);
}

export const waitForEvent = defineTool({
  name: 'wait_for_event',
  title: 'Wait for a delivery',
  description:
    'Waits until listen stores a delivery received after this call started (or after the stored event `after`), ' +
    `optionally of one event; returns it, or arrived:false when timeoutSeconds (at most ${MAX_WAIT_SECONDS}) pass.`,
  input: {
    event: eventPattern.optional(),
    after: storedIdField.optional(),
    timeoutSeconds: z.number().min(0).max(MAX_WAIT_SECONDS).optional().describe('default 20'),
  },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async run(args, { host, signal }) {
    const startedMs = host.now();
    const after = args.after === undefined ? undefined : (await findStored(host, args.after)).id;
    const matches = accepts(args.event);
    // Ids sort by time: "after" is a plain comparison.
    const accept = (r: EventRecord) =>
      matches(r) && (after !== undefined ? r.id > after : Date.parse(r.receivedAt) >= startedMs);
    const timeoutMs = (args.timeoutSeconds ?? 20) * 1000;
    const record = await pollStore(host.storePath, accept, startedMs + timeoutMs, host, signal);
    if (record) return { arrived: true, event: eventSummaryView(record) };
    return { arrived: false, waitedSeconds: timeoutMs / 1000, store: host.storePath };
  },
});

/** The oldest accepted record, re-reading the store only when one of its files changed. */
async function pollStore(
  file: string,
  accept: (r: EventRecord) => boolean,
  deadlineMs: number,
  host: McpHost,
  signal: AbortSignal,
): Promise<EventRecord | undefined> {
  let seen = '';
  for (;;) {
    const state = await fileState(file);
    if (state !== seen) {
      seen = state;
      const tail = await readEventStoreTail(file, 50, accept);
      if (tail.records.length > 0) return tail.records[0];
    }
    const left = deadlineMs - host.now();
    if (left <= 0) return undefined;
    await sleep(Math.min(POLL_MS, left), undefined, { signal });
  }
}

async function fileState(file: string): Promise<string> {
  const parts = await Promise.all(
    [rotatedPath(file), file].map((f) =>
      stat(f).then(
        (s) => `${s.size}:${s.mtimeMs}`,
        () => '-',
      ),
    ),
  );
  return parts.join('|');
}
