// Pre-signed deliveries shaped exactly like Pictify's (and `send`'s): a render.completed sample carrying its
// delivery id in the header and in data.deliveryId, signed per the documented algorithm with node:crypto directly —
// not with the product's signer, so listen verifying them is also a cross-check of both.
import { createHmac, randomBytes } from 'node:crypto';
import { buildSampleEvent } from '../../dist/index.js';

// A fresh secret per run unless BENCH_SECRET pins one (comparing two builds side by side needs the same secret).
export const BENCH_SECRET = process.env.BENCH_SECRET || `whsec_bench_${randomBytes(12).toString('hex')}`;
export const BENCH_EVENT = 'render.completed';
export const BENCH_PATH = '/webhooks/pictify';

const MARKER = 'del_BENCHMARKER';

/** The body template around the delivery id, stamped with `nowMs`. */
function template(nowMs) {
  const text = JSON.stringify(buildSampleEvent(BENCH_EVENT, { deliveryId: MARKER, now: nowMs }));
  const at = text.indexOf(MARKER);
  if (at === -1 || text.indexOf(MARKER, at + 1) !== -1)
    throw new Error('the sample must carry data.deliveryId exactly once');
  return { head: text.slice(0, at), tail: text.slice(at + MARKER.length) };
}

export function sign(secret, t, body) {
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.`).update(body).digest('hex')}`;
}

/** One autocannon request object. */
function request(body, t, deliveryId) {
  return {
    method: 'POST',
    path: BENCH_PATH,
    headers: {
      'content-type': 'application/json',
      'x-pictify-signature': sign(BENCH_SECRET, t, body),
      'x-pictify-event': BENCH_EVENT,
      'x-pictify-delivery-id': deliveryId,
    },
    body,
  };
}

/**
 * `size` distinct deliveries, each with its own id and signature, all signed now (the 300 s window starts here,
 * so pools are made right before each run).
 */
export function deliveryPool(size, nowMs = Date.now()) {
  const { head, tail } = template(nowMs);
  const t = Math.floor(nowMs / 1000);
  const ids = randomBytes(12 * size).toString('hex');
  const pool = new Array(size);
  for (let i = 0; i < size; i++) {
    const id = `del_${ids.slice(i * 24, i * 24 + 24)}`;
    pool[i] = request(head + id + tail, t, id);
  }
  return pool;
}

/** A single pre-signed delivery (for a receiver that does not dedupe). */
export function singleDelivery(nowMs = Date.now()) {
  return deliveryPool(1, nowMs)[0];
}
