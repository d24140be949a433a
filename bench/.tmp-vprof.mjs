import { verifyWebhookSignature } from '../dist/index.js';
import { BENCH_SECRET, singleDelivery } from './lib/deliveries.mjs';
const d = singleDelivery(); const p = Buffer.from(d.body); const h = d.headers['x-pictify-signature'];
const end = performance.now() + 3000; let n = 0;
while (performance.now() < end) { for (let i = 0; i < 256; i++) verifyWebhookSignature(p, h, BENCH_SECRET); n += 256; }
console.log(n / 3);
