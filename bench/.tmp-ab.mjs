import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startListen, startMinimal, stopReceiver, parseListenSummary } from './lib/receivers.mjs';
import * as exp from '/tmp/exp/bench/lib/receivers.mjs';
import { hammer } from './lib/load.mjs';
import { deliveryPool } from './lib/deliveries.mjs';
const tmp = mkdtempSync(join(tmpdir(), 'pb-'));
const servers = { minimal: await startMinimal(tmp), main: await startListen(tmp, {store: process.env.NOSTORE !== '1'}), exp: await exp.startListen(tmp, {store: process.env.NOSTORE !== '1'}) };
const secs = Number(process.env.S ?? 4);
for (const s of Object.values(servers)) await hammer({ url: s.url, pool: deliveryPool(24000), connections: 64, seconds: 1 });
const res = {};
for (let r = 0; r < Number(process.env.R ?? 2); r++) { const e = Object.entries(servers); if (r % 2) e.reverse(); for (const [name, s] of e) {
  const x = await hammer({ url: s.url, pool: deliveryPool(24000), connections: 64, seconds: secs });
  (res[name] ??= []).push(Math.round(x.perSecond) + '/' + x.p99.toFixed(1));
}}
console.log(res);
for (const s of Object.values(servers)) await stopReceiver(s);
console.log(parseListenSummary(servers.main.entry.stderr), parseListenSummary(servers.exp.entry.stderr));
