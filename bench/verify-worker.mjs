// In-process ops/s of the library's verifyWebhookSignature against a straightforward implementation of the
// documented algorithm (parse t and v1, check the 300 s window, HMAC-SHA256 "<t>.<raw body>", timingSafeEqual
// with the length checked first). Run as its own process so the bench's own JIT state does not colour it;
// time slices alternate between the two. Prints one JSON line.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { verifyWebhookSignature } from '../dist/index.js';
import { BENCH_SECRET, singleDelivery } from './lib/deliveries.mjs';

// Many short slices, alternating: on a shared machine a slow second hits one slice, not a whole side.
const sliceMs = Number(process.env.BENCH_VERIFY_SLICE_MS ?? 50);
const pairs = Number(process.env.BENCH_VERIFY_ROUNDS ?? 40);

export function referenceVerify(payload, header, secret, toleranceSeconds = 300) {
  let t;
  const v1 = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') t = value;
    else if (key === 'v1') v1.push(value);
  }
  if (t === undefined || !/^\d+$/.test(t) || v1.length === 0) throw new Error('malformed header');
  if (Math.abs(Date.now() / 1000 - Number(t)) > toleranceSeconds) throw new Error('timestamp outside the tolerance');
  const expected = createHmac('sha256', secret).update(`${t}.`).update(payload).digest();
  let ok = false;
  for (const candidate of v1) {
    const given = Buffer.from(candidate, 'hex');
    if (given.length === expected.length && timingSafeEqual(given, expected)) ok = true;
  }
  if (!ok) throw new Error('signature mismatch');
  return true;
}

const delivery = singleDelivery();
const payload = Buffer.from(delivery.body, 'utf8'); // raw bytes, as a receiver holds them
const header = delivery.headers['x-pictify-signature'];

const sides = {
  library: () => verifyWebhookSignature(payload, header, BENCH_SECRET),
  reference: () => referenceVerify(payload, header, BENCH_SECRET),
};

// Both must accept the real delivery and refuse a tampered one, or the comparison means nothing.
const tampered = Buffer.from(delivery.body.replace('img_abc123', 'img_abc124'), 'utf8');
for (const [name, fn] of Object.entries(sides)) {
  if (fn() !== true) throw new Error(`${name} did not accept a valid delivery`);
}
for (const [name, fn] of [
  ['library', () => verifyWebhookSignature(tampered, header, BENCH_SECRET)],
  ['reference', () => referenceVerify(tampered, header, BENCH_SECRET)],
]) {
  let refused;
  try {
    refused = fn() === false; // verifyWebhookSignature returns false; the reference throws
  } catch {
    refused = true;
  }
  if (!refused) throw new Error(`${name} accepted a tampered body`);
}

function slice(fn, ms) {
  let ops = 0;
  const start = performance.now();
  let now = start;
  const end = start + ms;
  while (now < end) {
    for (let i = 0; i < 256; i++) fn();
    ops += 256;
    now = performance.now();
  }
  return (ops * 1000) / (now - start);
}

for (const fn of Object.values(sides)) slice(fn, 300); // JIT warm-up
const results = { library: [], reference: [] };
for (let r = 0; r < pairs; r++) {
  const order = r % 2 === 0 ? ['reference', 'library'] : ['library', 'reference'];
  for (const name of order) results[name].push(slice(sides[name], sliceMs));
}
process.stdout.write(`${JSON.stringify({ ...results, payloadBytes: payload.length })}\n`);
