// One row of the inspector's list, and the filter over rows: pure, shared by the HTTP API and its tests.
import type { EventRecord } from '../store/event-store-record.js';

export type VerdictKind = 'ok' | 'failed' | 'duplicate' | 'ignored';
export const VERDICT_KINDS: readonly VerdictKind[] = ['ok', 'failed', 'duplicate', 'ignored'];

/** What a row shows; small, so a page of hundreds stays cheap to send. */
export interface DeliverySummary {
  id: string;
  /** Position in the store, oldest = 0: stable while new deliveries arrive. */
  seq: number;
  receivedAt: string;
  event: string | null;
  deliveryId: string | null;
  kind: VerdictKind;
  /** Verdict reason for failures (`signature_mismatch`), else undefined. */
  reason?: string;
  status: number;
  forward: { url: string; status?: number; latencyMs: number; error?: string } | null;
  /** Replays made from the page point at their source. */
  replayOf?: string;
  edited?: boolean;
}

/** Fields a future listen may set (an event filtered out by --events is acknowledged and ignored). */
type VerdictWithIgnored = EventRecord['verdict'] & { ignored?: boolean };

export function verdictKind(record: EventRecord): VerdictKind {
  const verdict = record.verdict as VerdictWithIgnored;
  if (verdict.duplicate) return 'duplicate';
  if (verdict.ignored) return 'ignored';
  return verdict.ok ? 'ok' : 'failed';
}

export function summarize(record: EventRecord, seq: number): DeliverySummary {
  const kind = verdictKind(record);
  const summary: DeliverySummary = {
    id: record.id,
    seq,
    receivedAt: record.receivedAt,
    event: record.event,
    deliveryId: record.deliveryId,
    kind,
    status: record.status,
    forward: record.forward
      ? {
          url: record.forward.url,
          status: record.forward.status,
          latencyMs: record.forward.latencyMs,
          error: record.forward.error,
        }
      : null,
  };
  if (kind === 'failed' && record.verdict.reason) summary.reason = record.verdict.reason;
  if (record.replay) {
    summary.replayOf = record.replay.of;
    summary.edited = record.replay.edited;
  }
  return summary;
}

export interface ListFilter {
  /** Exact event names; empty means every event. */
  events: readonly string[];
  kinds: readonly VerdictKind[];
  /** Case-insensitive text in the delivery id, event id, event name or the body. */
  text: string;
}

/** The lower-cased text a search looks in: ids, event, reason and (UTF-8) body. Computed once per record. */
export function searchText(record: EventRecord): string {
  // Bodies are searched as stored: base64 bodies are not text, so they only match by id.
  const body = record.bodyEncoding === 'utf8' ? record.body : '';
  return [record.deliveryId ?? '', record.id, record.event ?? '', record.verdict.reason ?? '', body]
    .join('\n')
    .toLowerCase();
}

export function matches(record: EventRecord, kind: VerdictKind, filter: ListFilter, haystack: () => string): boolean {
  if (filter.events.length > 0 && !filter.events.includes(record.event ?? '')) return false;
  if (filter.kinds.length > 0 && !filter.kinds.includes(kind)) return false;
  return filter.text === '' || haystack().includes(filter.text.toLowerCase());
}

/** `?event=a,b&verdict=ok,failed&q=text` → a filter; unknown verdict kinds are dropped, not guessed. */
export function parseFilter(params: URLSearchParams): ListFilter {
  const list = (name: string) =>
    (params.get(name) ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  return {
    events: list('event'),
    kinds: list('verdict').filter((k): k is VerdictKind => (VERDICT_KINDS as readonly string[]).includes(k)),
    text: (params.get('q') ?? '').trim().slice(0, 200),
  };
}
