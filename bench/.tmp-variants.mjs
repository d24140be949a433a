import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startListen, startMinimal, stopReceiver } from './lib/receivers.mjs';
import { hammer } from './lib/load.mjs';
import { deliveryPool } from './lib/deliveries.mjs';
const tmp = mkdtempSync(join(tmpdir(), 'pb-'));
const servers = { nostore: await startListen(tmp, { store: false }), minimal: await startMinimal(tmp), store: await startListen(tmp) };
const secs = Number(process.env.S ?? 4);
for (const s of Object.values(servers)) await hammer({ url: s.url, pool: deliveryPool(24000), connections: 64, seconds: 1 });
const res = {};
for (let r = 0; r < 2; r++) for (const [name, s] of Object.entries(servers)) {
  const x = await hammer({ url: s.url, pool: deliveryPool(24000), connections: 64, seconds: secs });
  (res[name] ??= []).push(Math.round(x.perSecond) + '/' + x.p99.toFixed(1));
}
console.log(res);
for (const s of Object.values(servers)) await stopReceiver(s);
