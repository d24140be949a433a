// The headers a stored delivery is resent with as-is (replay --as-is, the inspector's resend and its "copy as
// curl"): what was received, less the headers that describe one hop and the values the store redacted.
import { REDACTED_VALUE, type EventRecord } from '../store/event-store-record.js';

/** Headers that describe one hop, not the delivery. */
const HOP_HEADERS = new Set([
  'host',
  'connection',
  'content-length',
  'transfer-encoding',
  'keep-alive',
  'expect',
  'te',
  'upgrade',
  'proxy-connection',
  'accept-encoding',
]);

export function resendHeaders(record: EventRecord): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(record.headers)) {
    if (HOP_HEADERS.has(name) || value === REDACTED_VALUE) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
