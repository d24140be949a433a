import { createHmac, timingSafeEqual } from 'node:crypto';
import { verifyWebhookSignature as orig } from '../dist/index.js';
import { verifyWebhookSignature as patched } from '/tmp/exp/dist/index.js';
import { BENCH_SECRET, singleDelivery } from './lib/deliveries.mjs';
function referenceVerify(payload, header, secret, toleranceSeconds = 300) {
  let t; const v1 = [];
  for (const part of header.split(',')) { const eq = part.indexOf('='); const key = part.slice(0, eq).trim(); const value = part.slice(eq + 1).trim(); if (key === 't') t = value; else if (key === 'v1') v1.push(value); }
  if (t === undefined || !/^\d+$/.test(t) || v1.length === 0) throw new Error('malformed header');
  if (Math.abs(Date.now() / 1000 - Number(t)) > toleranceSeconds) throw new Error('timestamp outside the tolerance');
  const expected = createHmac('sha256', secret).update(`${t}.`).update(payload).digest();
  let ok = false;
  for (const c of v1) { const g = Buffer.from(c, 'hex'); if (g.length === expected.length && timingSafeEqual(g, expected)) ok = true; }
  if (!ok) throw new Error('mismatch'); return true;
}
const d = singleDelivery(); const p = Buffer.from(d.body); const h = d.headers['x-pictify-signature'];
const sides = { ref: () => referenceVerify(p, h, BENCH_SECRET), orig: () => orig(p, h, BENCH_SECRET), patched: () => patched(p, h, BENCH_SECRET) };
function slice(fn, ms) { let ops = 0; const s = performance.now(); let n = s; while (n < s + ms) { for (let i = 0; i < 128; i++) fn(); ops += 128; n = performance.now(); } return ops * 1000 / (n - s); }
for (const f of Object.values(sides)) slice(f, 300);
const r = { ref: [], orig: [], patched: [] }; const ratios = { orig: [], patched: [] };
for (let i = 0; i < 80; i++) { const names = Object.keys(sides); if (i % 2) names.reverse(); const got = {}; for (const n of names) { got[n] = slice(sides[n], 25); r[n].push(got[n]); } ratios.orig.push(got.orig / got.ref); ratios.patched.push(got.patched / got.ref); }
const med = (v) => { const s = [...v].sort((a, b) => a - b); return s[s.length >> 1]; };
console.log(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Math.round(med(v))])), 'median pair ratio orig', med(ratios.orig).toFixed(3), 'patched', med(ratios.patched).toFixed(3));
