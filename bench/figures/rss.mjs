// listen's resident memory after 10,000 verified deliveries with the event store on: a fresh process, a fixed
// number of distinct deliveries, then VmRSS from /proc once the store has flushed. The minimal server's RSS after
// the same load is noted for scale.
import { setTimeout as sleep } from 'node:timers/promises';
import { memoryOf } from '../lib/children.mjs';
import { deliveryPool } from '../lib/deliveries.mjs';
import { hammer } from '../lib/load.mjs';
import { startListen, startMinimal, stopReceiver } from '../lib/receivers.mjs';
import { absoluteRow, errorRow } from '../lib/report.mjs';

const MIB = 1024 * 1024;

export async function rssFigures({ config, tmp, log }) {
  const figure = `listen RSS after ${config.rssDeliveries.toLocaleString('en-US')} deliveries (store on)`;
  let listen;
  let minimal;
  try {
    [listen, minimal] = await Promise.all([startListen(tmp, { name: 'listen-rss' }), startMinimal(tmp, { name: 'minimal-rss' })]);
    const before = memoryOf(listen.pid);
    const pool = deliveryPool(config.rssDeliveries);
    const [run, baseRun] = [
      await hammer({ url: listen.url, pool, connections: config.connections, amount: config.rssDeliveries, maxSeconds: 60 }),
      await hammer({ url: minimal.url, pool, connections: config.connections, amount: config.rssDeliveries, maxSeconds: 60 }),
    ];
    if (run.ok !== config.rssDeliveries) {
      throw new Error(`listen accepted ${run.ok} of ${config.rssDeliveries} deliveries (${JSON.stringify(run.nonOk)}, ${run.errors} errors)`);
    }
    await sleep(500); // the store's group commit and the printer's batch are flushed by then
    const after = memoryOf(listen.pid);
    const base = memoryOf(minimal.pid);
    log(`  listen RSS ${(after.rss / MIB).toFixed(1)} MiB (peak ${(after.peak / MIB).toFixed(1)}, at start ${(before.rss / MIB).toFixed(1)}); minimal ${(base.rss / MIB).toFixed(1)} MiB`);
    const row = absoluteRow({
      id: 'listen-rss',
      figure,
      unit: 'MiB',
      value: after.rss / MIB,
      op: '<=',
      target: 80,
      runs: {
        rssMiB: after.rss / MIB,
        peakMiB: after.peak / MIB,
        atStartMiB: before.rss / MIB,
        minimalRssMiB: base.rss / MIB,
        minimalPeakMiB: base.peak / MIB,
        listenPerSecond: run.perSecond,
        minimalPerSecond: baseRun.perSecond,
      },
      notes: [`peak ${(after.peak / MIB).toFixed(1)} MiB; ${(before.rss / MIB).toFixed(1)} MiB idle; minimal server ${(base.rss / MIB).toFixed(1)} MiB after the same load`],
    });
    row.spread = `peak ${(after.peak / MIB).toFixed(1)} MiB, idle ${(before.rss / MIB).toFixed(1)} MiB`;
    return [row];
  } catch (error) {
    return [errorRow({ id: 'listen-rss', figure, error: listen?.entry.stderr ? `${error.stack}\n${listen.entry.stderr}` : error })];
  } finally {
    await Promise.all([listen && stopReceiver(listen), minimal && stopReceiver(minimal)]);
  }
}
