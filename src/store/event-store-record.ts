// One line of the event store: everything needed to show a delivery again and to resend its exact bytes.
// Never holds a secret: the verifying secret is named by its label (a subscription uid), not stored.
import { isUtf8 } from 'node:buffer';

export type VerdictReason =
  | 'path_not_found'
  | 'method_not_allowed'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'missing_header'
  | 'malformed_header'
  | 'missing_timestamp'
  | 'no_signatures'
  | 'timestamp_too_old'
  | 'timestamp_in_future'
  | 'signature_mismatch'
  | 'invalid_json'
  | 'invalid_payload'
  | 'store_failed';

export interface Verdict {
  /** The signature verified and the payload was accepted (possibly with warnings, possibly a duplicate). */
  ok: boolean;
  reason?: VerdictReason;
  /** Human explanation of `reason`. */
  message?: string;
  /** Label of the secret that verified the delivery (a subscription uid), when it has one. */
  matchedLabel?: string;
  duplicate?: boolean;
  /** Verified, but not one of listen's --events: answered 200, stored, not forwarded. */
  ignored?: boolean;
  /** Validator findings on a verified payload that was accepted anyway (Pictify may add fields). */
  warnings?: string[];
}

export interface ForwardRecord {
  url: string;
  status?: number;
  latencyMs: number;
  error?: string;
  /** The first 4 KiB of the app's answer, as text (what the inspector shows). */
  answer?: string;
}

/** Set on a delivery the inspector sent (replay, edit and replay): what it was made from. */
export interface ReplayOrigin {
  /** The source record's id. */
  of: string;
  mode: 'resigned' | 'as-is';
  edited: boolean;
}

export type BodyEncoding = 'utf8' | 'base64';

export interface EventRecord {
  id: string;
  /** ISO 8601. */
  receivedAt: string;
  method: string;
  /** Path and query as requested. */
  path: string;
  remoteAddress: string | null;
  headers: Record<string, string | string[]>;
  /** The raw body: UTF-8 text when it is valid UTF-8, else base64 (see bodyEncoding). */
  body: string;
  bodyEncoding: BodyEncoding;
  bodyBytes: number;
  /** The body was not kept (over --max-body, or not read because the request was refused before it). */
  bodyOmitted?: boolean;
  /** Status the receiver answered. */
  status: number;
  verdict: Verdict;
  /** Event name from the payload, else from X-Pictify-Event. */
  event: string | null;
  deliveryId: string | null;
  forward: ForwardRecord | null;
  replay?: ReplayOrigin;
  /**
   * Set on a delivery listen acknowledged: its keys (deliveryKeys: the verified v1 values and the delivery id), so a
   * later listen recognises its copies. Written last in the line, where the store's key scan finds it.
   */
  dedupeKeys?: string[];
}

let lastIdTime = -1;
let lastIdTimeText = '';
let sequence = 0;

/** `evt_` + 9 base36 chars of milliseconds + a 3-char per-ms sequence + 4 random chars: short and sortable. */
export function newEventId(nowMs: number): string {
  const t = Math.max(0, Math.floor(nowMs));
  if (t === lastIdTime) sequence += 1;
  else {
    lastIdTime = t;
    lastIdTimeText = t.toString(36).padStart(9, '0');
    sequence = 0;
  }
  const time = lastIdTimeText;
  const seq = (sequence % 46656).toString(36).padStart(3, '0');
  // Math.random, not crypto: ids only need to be distinct, and a syscall per delivery shows up in throughput.
  const rand = Math.floor(Math.random() * 1_679_616)
    .toString(36)
    .padStart(4, '0');
  return `evt_${time}${seq}${rand}`;
}

/** The record's line in the store (without the newline). */
export function recordLine(record: EventRecord): string {
  return JSON.stringify(record);
}

export function encodeBody(bytes: Uint8Array): { body: string; bodyEncoding: BodyEncoding } {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Valid UTF-8 round-trips exactly through a JS string; anything else must not, so it goes as base64.
  if (isUtf8(buf)) return { body: buf.toString('utf8'), bodyEncoding: 'utf8' };
  return { body: buf.toString('base64'), bodyEncoding: 'base64' };
}

export function decodeBody(record: Pick<EventRecord, 'body' | 'bodyEncoding'>): Buffer {
  return Buffer.from(record.body, record.bodyEncoding === 'base64' ? 'base64' : 'utf8');
}

/** The event a stored delivery is sent again as: its X-Pictify-Event header as received, else the payload's. */
export function storedEventName(record: Pick<EventRecord, 'headers' | 'event'>): string | undefined {
  const v = record.headers['x-pictify-event'];
  return (v === undefined ? undefined : Array.isArray(v) ? v.join(', ') : v) ?? record.event ?? undefined;
}

/** Headers whose values are credentials: kept out of the store. */
export const REDACTED_HEADERS = ['authorization', 'proxy-authorization', 'cookie'] as const;
export const REDACTED_VALUE = '[redacted]';

export function redactHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string | string[]> {
  let needsCopy = false;
  for (const name of REDACTED_HEADERS) if (headers[name] !== undefined) needsCopy = true;
  if (!needsCopy) return headers as Record<string, string | string[]>;
  const copy: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    copy[k] = (REDACTED_HEADERS as readonly string[]).includes(k) ? REDACTED_VALUE : v;
  }
  return copy;
}

/** Whether a parsed line has the shape of a record (a hand-edited or foreign line is skipped, not trusted). */
export function isEventRecord(value: unknown): value is EventRecord {
  if (value === null || typeof value !== 'object') return false;
  const r = value as Partial<EventRecord>;
  return (
    typeof r.id === 'string' &&
    typeof r.receivedAt === 'string' &&
    typeof r.body === 'string' &&
    typeof r.headers === 'object' &&
    r.headers !== null &&
    typeof r.verdict === 'object' &&
    r.verdict !== null
  );
}

/** The body parsed as JSON, when it is UTF-8 JSON; undefined otherwise (never throws). */
export function parsedPayload(record: Pick<EventRecord, 'body' | 'bodyEncoding'>): unknown {
  if (record.bodyEncoding !== 'utf8' || record.body.length === 0) return undefined;
  try {
    return JSON.parse(record.body);
  } catch {
    return undefined;
  }
}

/**
 * The one JSON shape of a stored delivery in listings, shared by `listen --json` (one per line) and `events list
 * --json` (an array): the record's own fields but the headers and the raw body, plus the parsed `payload` when the
 * body is JSON. `events show --json` gives the whole record (headers, body) with the same `payload`.
 */
export function recordSummary(record: EventRecord, payload: unknown) {
  return {
    id: record.id,
    receivedAt: record.receivedAt,
    method: record.method,
    path: record.path,
    remoteAddress: record.remoteAddress,
    status: record.status,
    event: record.event,
    deliveryId: record.deliveryId,
    verdict: record.verdict,
    forward: record.forward,
    ...(record.replay ? { replay: record.replay } : {}),
    ...(payload !== undefined ? { payload } : {}),
  };
}
