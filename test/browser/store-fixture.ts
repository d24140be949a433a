// A large, realistic event store written directly (what a long listen leaves behind): signed sample bodies,
// mostly verified, some failures and duplicates, spread over the last two hours.
import { writeFileSync } from 'node:fs';
import { buildSampleEvent, EVENT_NAMES } from '../../src/events/index.js';
import { signPayload } from '../../src/signing/index.js';
import { newEventId, type EventRecord } from '../../src/store/event-store-record.js';

export function writeLargeStore(file: string, count: number, secret: string, nowMs = Date.now()): EventRecord[] {
  const records: EventRecord[] = [];
  const spanMs = 2 * 3600 * 1000;
  for (let i = 0; i < count; i++) {
    const at = nowMs - spanMs + Math.floor((spanMs * i) / count);
    const event = EVENT_NAMES[i % EVENT_NAMES.length];
    const deliveryId = `del_${String(i).padStart(24, '0')}`;
    const body = JSON.stringify(buildSampleEvent(event, { deliveryId, now: at }));
    const failed = i % 50 === 7;
    const duplicate = i % 97 === 3;
    const signature = signPayload({
      payload: body,
      secret: failed ? 'whsec_someone_else' : secret,
      timestamp: Math.floor(at / 1000),
    });
    records.push({
      id: newEventId(at),
      receivedAt: new Date(at).toISOString(),
      method: 'POST',
      path: '/',
      remoteAddress: '127.0.0.1',
      headers: {
        host: '127.0.0.1:3000',
        'content-type': 'application/json',
        'x-pictify-signature': signature,
        'x-pictify-event': event,
        'x-pictify-delivery-id': deliveryId,
      },
      body,
      bodyEncoding: 'utf8',
      bodyBytes: Buffer.byteLength(body),
      status: failed ? 401 : 200,
      verdict: failed
        ? { ok: false, reason: 'signature_mismatch', message: 'no v1 signature matches the raw body with the secret' }
        : duplicate
          ? { ok: true, duplicate: true, matchedLabel: 'flag' }
          : { ok: true, matchedLabel: 'flag' },
      event,
      deliveryId,
      forward: failed ? null : { url: 'http://127.0.0.1:4000/hooks', status: 200, latencyMs: 3 + (i % 17) },
    });
  }
  writeFileSync(file, records.map((r) => JSON.stringify(r)).join('\n') + '\n', { mode: 0o600 });
  return records;
}
