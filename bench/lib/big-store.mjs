// A large event store written straight to disk, line by line as listen writes them (the record layout of
// dist/store/event-store-record.js, verified deliveries with their dedupeKeys last), without a listen: 400,000
// records / 1 GiB in seconds. Bodies are padded so the file reaches the asked size; ids are time-ordered.
import { closeSync, openSync, writeSync } from 'node:fs';
import { createHmac, randomBytes } from 'node:crypto';
import { buildSampleEvent } from '../../dist/index.js';
import { newEventId, recordLine } from '../../dist/store/event-store-record.js';

const SECRET = 'whsec_big_store';
const FLUSH_BYTES = 4 * 1024 * 1024;

/** Writes `records` lines of about `bytes / records` bytes each to `file`; returns the ids of a few of them. */
export function writeBigStore(file, { records, bytes, startMs = Date.now() - records * 100 }) {
  const fd = openSync(file, 'w', 0o600);
  const probe = recordLine(recordAt(0, startMs, ''));
  const pad = Math.max(0, Math.floor(bytes / records) - probe.length - 1);
  const filler = 'x'.repeat(pad);
  const picks = { first: null, middle: null, last: null };
  let chunk = '';
  let written = 0;
  try {
    for (let i = 0; i < records; i++) {
      const record = recordAt(i, startMs, filler);
      if (i === 0) picks.first = record;
      if (i === Math.floor(records / 2)) picks.middle = record;
      if (i === records - 1) picks.last = record;
      chunk += `${recordLine(record)}\n`;
      if (chunk.length >= FLUSH_BYTES) {
        written += writeSync(fd, chunk);
        chunk = '';
      }
    }
    if (chunk) written += writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
  const pick = (r) => ({ id: r.id, deliveryId: r.deliveryId });
  return { bytes: written, first: pick(picks.first), middle: pick(picks.middle), last: pick(picks.last) };
}

const MARK = 'del_BIGSTOREMARK';
const templates = new Map();

/** The sample body of `event` around its delivery id, made once (building each sample anew is most of the cost). */
function bodyOf(event, deliveryId, at, filler) {
  const key = `${event}:${filler.length}`;
  let template = templates.get(key);
  if (!template) {
    const sample = buildSampleEvent(event, { deliveryId: MARK, now: at });
    if (filler) sample.data.note = filler;
    template = JSON.stringify(sample).split(MARK);
    templates.set(key, template);
  }
  return template.join(deliveryId);
}

function recordAt(i, startMs, filler) {
  const at = startMs + i * 100;
  const deliveryId = `del_${i.toString(16).padStart(8, '0')}${randomBytes(4).toString('hex')}`;
  const event = { event: i % 5 === 0 ? 'render.failed' : 'render.completed' };
  const body = bodyOf(event.event, deliveryId, at, filler);
  const t = Math.floor(at / 1000);
  const v1 = createHmac('sha256', SECRET).update(`${t}.${body}`).digest('hex');
  return {
    id: newEventId(at),
    receivedAt: new Date(at).toISOString(),
    method: 'POST',
    path: '/webhooks/pictify',
    remoteAddress: '127.0.0.1',
    headers: {
      host: '127.0.0.1:4000',
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      'x-pictify-signature': `t=${t},v1=${v1}`,
      'x-pictify-event': event.event,
      'x-pictify-delivery-id': deliveryId,
    },
    body,
    bodyEncoding: 'utf8',
    bodyBytes: Buffer.byteLength(body),
    status: 200,
    verdict: { ok: true, matchedLabel: 'wh_bench' },
    event: event.event,
    deliveryId,
    forward: null,
    dedupeKeys: [`v1:${v1}`, `id:${deliveryId}`],
  };
}
