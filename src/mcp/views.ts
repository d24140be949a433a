// What the tools show of a subscription and of a stored delivery: no secret field at all (a masked one still starts
// with whsec_), credential headers redacted, the parsed payload beside the raw body.
import type { Subscription } from '../api/index.js';
import { parsedPayload, recordSummary, type EventRecord } from '../store/event-store-record.js';
import { redactCredentialHeaders } from './redact.js';

export function subscriptionView(sub: Subscription, secretStored: boolean) {
  const { secret: _secret, ...rest } = sub;
  return { ...rest, secretStored };
}

export function eventSummaryView(record: EventRecord) {
  return recordSummary(record, parsedPayload(record));
}

export function eventDetailView(record: EventRecord) {
  return {
    ...eventSummaryView(record),
    headers: redactCredentialHeaders(record.headers),
    body: record.body,
    bodyEncoding: record.bodyEncoding,
    bodyBytes: record.bodyBytes,
    ...(record.bodyOmitted ? { bodyOmitted: true } : {}),
  };
}
