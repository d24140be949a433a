// What one delivery line shows: the verdict, and the few payload fields that matter for its event (each catalogue
// entry's `describe`: url and size; error and code; batch counts; what changed in a binding).
import { sourceFromLabel } from '../signing/secret-source.js';
import type { EventRecord, Verdict } from '../store/event-store-record.js';
import { symbols, type Style } from '../output/style.js';
import { isJsonObject } from '../events/json-object.js';
import { eventEntry } from '../events/names.js';
import { printable } from '../text/printable.js';

export interface DeliveryLine {
  time: string;
  ok: boolean;
  /** verdictLabel: `✓`, `✓ duplicate`, `✗ signature_mismatch` … without colour. */
  verdict: string;
  event: string;
  deliveryId: string;
  status: number;
  /** `url=… size=1200x630`, ready to print. */
  details: string[];
  warnings: string[];
  /** `→ 200 12 ms`, `→ 502 connection refused…`, or '' when not forwarded. */
  forward: string;
}

function short(value: unknown, max = 60): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Shows a payload value in a line, or nothing for one not worth showing. */
function brief(value: unknown, max?: number): string | undefined {
  return value !== undefined && value !== null && value !== '' ? short(value, max) : undefined;
}

/** The payload fields worth a glance, per event (its catalogue entry says which). Unknown events show nothing. */
export function eventDetails(event: string | null, payload: unknown): Record<string, string> {
  const data = isJsonObject(payload) && isJsonObject(payload.data) ? payload.data : undefined;
  const entry = event === null ? undefined : eventEntry(event);
  if (!data || !entry) return {};
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(entry.describe(data, brief))) if (value !== undefined) out[key] = value;
  return out;
}

// The local time of the line, per second: under load every line of a second shares it (a Date and three local-time
// lookups per line otherwise). Keyed on the ISO text up to the seconds, which is UTC and so names one instant.
let clockKey = '';
let clockText = '';
function clock(iso: string): string {
  const key = iso.slice(0, 19);
  if (key !== clockKey) {
    const d = new Date(iso);
    const pad = (n: number) => String(n).padStart(2, '0');
    clockText = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
    clockKey = key;
  }
  return clockText;
}

/**
 * The one verdict label (listen's lines, `events list|show`): `✓`, `✓ duplicate`, `✓ ignored`, `✗ <reason>`;
 * with `countWarnings`, `✓ (2 warnings)` where the warnings themselves are not shown.
 */
export function verdictLabel(v: Verdict, options: { countWarnings?: boolean } = {}): string {
  if (!v.ok) return `${symbols.fail} ${v.reason ?? 'rejected'}`;
  let text = v.duplicate ? `${symbols.ok} duplicate` : v.ignored ? `${symbols.ok} ignored` : symbols.ok;
  const n = v.warnings?.length ?? 0;
  if (options.countWarnings && n > 0) text += ` (${n} warning${n === 1 ? '' : 's'})`;
  return text;
}

export function describeDelivery(record: EventRecord, payload: unknown): DeliveryLine {
  const v = record.verdict;
  const verdict = verdictLabel(v);
  const details = Object.entries(v.ok || v.reason === 'invalid_payload' ? eventDetails(record.event, payload) : {}).map(
    ([k, val]) => `${k}=${val}`,
  );
  // A flag's secret is the user's own; any other is named (secret=wh_1, secret=PICTIFY_WEBHOOK_SECRET).
  if (v.ok && v.matchedLabel && sourceFromLabel(v.matchedLabel).kind !== 'flag')
    details.push(`secret=${v.matchedLabel}`);
  let forward = '';
  const f = record.forward;
  if (f)
    forward = f.error !== undefined ? `→ ${record.status} ${f.error}` : `→ ${f.status} ${Math.round(f.latencyMs)} ms`;
  return {
    time: clock(record.receivedAt),
    ok: v.ok,
    verdict,
    event: record.event ?? '-',
    deliveryId: record.deliveryId ?? '-',
    status: record.status,
    details,
    warnings: v.warnings ?? [],
    forward,
  };
}

/**
 * The printed form of a delivery line (listen and demo); colour comes from the Style passed in. Every piece but the
 * time, the verdict and the status comes from the request, so each is sanitised before it is styled.
 */
export function formatDeliveryLine(s: Style, line: DeliveryLine, record: EventRecord): string {
  const verdict = line.ok ? s.green(printable(line.verdict)) : s.red(printable(line.verdict));
  const parts = [s.dim(line.time), verdict, s.bold(printable(line.event)), s.dim(printable(line.deliveryId))];
  parts.push(String(line.status));
  if (line.details.length > 0) parts.push(printable(line.details.join(' ')));
  if (!line.ok && record.verdict.message) parts.push(s.dim(`— ${printable(record.verdict.message)}`));
  if (line.forward) parts.push(printable(line.forward));
  if (line.warnings.length > 0) parts.push(s.yellow(`${symbols.warn} ${printable(line.warnings.join('; '))}`));
  return parts.join('  ');
}
