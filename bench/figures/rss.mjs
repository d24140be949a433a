// listen's resident memory after 10,000 verified deliveries with the event store on: a fresh process, a fixed
// number of distinct deliveries, then VmRSS from /proc once the store has flushed. Where the garbage collector
// happens to be at that moment moves RSS by ~10 MiB, so several fresh processes are measured and the median
// counts. The minimal server's RSS after the same load is noted for scale.
import { setTimeout as sleep } from 'node:timers/promises';
import { memoryOf } from '../lib/children.mjs';
import { deliveryPool } from '../lib/deliveries.mjs';
import { hammer } from '../lib/load.mjs';
import { startListen, startMinimal, stopReceiver } from '../lib/receivers.mjs';
import { absoluteRow, errorRow, median } from '../lib/report.mjs';

const MIB = 1024 * 1024;

async function measureOnce(tmp, config, round) {
  let listen;
  let minimal;
  try {
    [listen, minimal] = await Promise.all([
      startListen(tmp, { name: `listen-rss-${round}` }),
      startMinimal(tmp, { name: `minimal-rss-${round}` }),
    ]);
    const idle = memoryOf(listen.pid);
    const pool = deliveryPool(config.rssDeliveries);
    const run = await hammer({
      url: listen.url,
      pool,
      connections: config.connections,
      amount: config.rssDeliveries,
      maxSeconds: 60,
    });
    if (run.ok !== config.rssDeliveries) {
      throw new Error(
        `listen accepted ${run.ok} of ${config.rssDeliveries} deliveries (${JSON.stringify(run.nonOk)}, ${run.errors} errors)`,
      );
    }
    await hammer({
      url: minimal.url,
      pool,
      connections: config.connections,
      amount: config.rssDeliveries,
      maxSeconds: 60,
    });
    await sleep(500); // the store's group commit and the printer's batch are flushed by then
    const after = memoryOf(listen.pid);
    const base = memoryOf(minimal.pid);
    return {
      rssMiB: after.rss / MIB,
      peakMiB: after.peak / MIB,
      idleMiB: idle.rss / MIB,
      minimalRssMiB: base.rss / MIB,
    };
  } catch (error) {
    if (listen?.entry.stderr) error.message += `\n${listen.entry.stderr.trim()}`;
    throw error;
  } finally {
    await Promise.all([listen && stopReceiver(listen), minimal && stopReceiver(minimal)]);
  }
}

export async function rssFigures({ config, tmp, log }) {
  const figure = `listen RSS after ${config.rssDeliveries.toLocaleString('en-US')} deliveries (store on)`;
  try {
    const runs = [];
    for (let round = 0; round < config.rssRuns; round++) {
      const m = await measureOnce(tmp, config, round);
      runs.push(m);
      log(
        `  run ${round + 1}: listen ${m.rssMiB.toFixed(1)} MiB (peak ${m.peakMiB.toFixed(1)}, idle ${m.idleMiB.toFixed(1)}); minimal ${m.minimalRssMiB.toFixed(1)} MiB`,
      );
    }
    const rss = runs.map((r) => r.rssMiB);
    const row = absoluteRow({
      id: 'listen-rss',
      figure,
      unit: 'MiB',
      value: median(rss),
      op: '<=',
      target: 80,
      runs,
      notes: [
        `median of ${runs.length} fresh processes: ${rss.map((v) => v.toFixed(1)).join(', ')} MiB; idle ${median(runs.map((r) => r.idleMiB)).toFixed(1)} MiB; ` +
          `minimal server ${median(runs.map((r) => r.minimalRssMiB)).toFixed(1)} MiB after the same load`,
      ],
    });
    row.spread = `${Math.min(...rss).toFixed(1)}–${Math.max(...rss).toFixed(1)} MiB over ${runs.length} processes`;
    return [row];
  } catch (error) {
    return [errorRow({ id: 'listen-rss', figure, error })];
  }
}
