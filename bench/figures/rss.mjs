// listen's resident memory as deliveries accumulate: one fresh process with the store on, RSS from /proc after
// 10,000 distinct deliveries and again after 100,000 (the dedupe LRU is bounded and the store rotates at 50 MiB, so
// nothing should grow with the count). The full store it leaves behind is what the `events list` figure reads.
// A bare node:http process's idle RSS is noted for scale.
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { memoryOf } from '../lib/children.mjs';
import { BENCH_PATH, deliveryPool } from '../lib/deliveries.mjs';
import { drive, generatorCandidates } from '../lib/generator.mjs';
import { parseListenSummary, startListen, startMinimal, stopReceiver } from '../lib/receivers.mjs';
import { absoluteRow, errorRow, ratioRow } from '../lib/report.mjs';

const MIB = 1024 * 1024;

/** Sends `amount` more distinct deliveries to listen (a little over: in-flight requests when the generator stops). */
async function feed(listen, amount, config, tmp) {
  const g = generatorCandidates(config.connections)[0];
  // One chunk at a time keeps each pool inside the 300 s window and the bench's own memory small.
  for (let sent = 0; sent < amount;) {
    const n = Math.min(50_000, amount - sent);
    const run = await drive(g, {
      url: `${listen.url}${BENCH_PATH}`,
      pool: deliveryPool(n + config.connections * 2),
      amount: n,
      maxSeconds: 90,
      tmp,
    });
    if (run.ok < n || run.nonOk > 0)
      throw new Error(`listen accepted ${run.ok} of ${n} deliveries (${run.nonOk} non-2xx, ${run.errors} errors)`);
    sent += run.ok;
  }
}

const HEAP_PROBE = fileURLToPath(new URL('../lib/heap-probe.cjs', import.meta.url));

/** V8's heap after a full GC in `listen` (bench/lib/heap-probe.cjs): what is still referenced, and what V8 holds. */
async function liveHeap(listen) {
  const before = listen.entry.stderr.length;
  process.kill(listen.pid, 'SIGUSR2');
  for (let i = 0; i < 100; i++) {
    await sleep(20);
    const m = /BENCH_HEAP (\{[^\n]*\})/.exec(listen.entry.stderr.slice(before));
    if (m) return JSON.parse(m[1]);
  }
  throw new Error('listen did not report its heap (bench/lib/heap-probe.cjs)');
}

/** A listen that has taken `config.rssLongDeliveries` deliveries: its store is full (rotated at least once). */
export async function fillStore(tmp, config, { onSample } = {}) {
  const listen = await startListen(tmp, { name: 'listen-rss', nodeOptions: ['--expose-gc', '--require', HEAP_PROBE] });
  try {
    const idle = memoryOf(listen.pid);
    await feed(listen, config.rssDeliveries, config, tmp);
    await sleep(500); // the store's group commit and the printer's batch are flushed by then
    const short = memoryOf(listen.pid); // RSS first: the probe's full GC must not shrink it
    short.heap = await liveHeap(listen);
    onSample?.(config.rssDeliveries, short);
    await feed(listen, config.rssLongDeliveries - config.rssDeliveries, config, tmp);
    await sleep(500);
    const long = memoryOf(listen.pid);
    long.heap = await liveHeap(listen);
    onSample?.(config.rssLongDeliveries, long);
    await stopReceiver(listen);
    const summary = parseListenSummary(listen.entry.stderr);
    return { idle, short, long, summary, storeFile: listen.storeFile };
  } catch (error) {
    if (listen.entry.stderr) error.message += `\n${listen.entry.stderr.trim()}`;
    throw error;
  } finally {
    await stopReceiver(listen);
  }
}

export async function rssFigures({ config, tmp, log, shared }) {
  const short = `listen RSS after ${config.rssDeliveries.toLocaleString('en-US')} deliveries (store on)`;
  const long = `listen RSS after ${config.rssLongDeliveries.toLocaleString('en-US')} (same process)`;
  try {
    const bare = await startMinimal(tmp, { name: 'minimal-rss' });
    const bareIdle = memoryOf(bare.pid).rss / MIB;
    await stopReceiver(bare);
    const m = await fillStore(tmp, config, {
      onSample: (n, mem) =>
        log(
          `  after ${n}: ${(mem.rss / MIB).toFixed(1)} MiB (peak ${(mem.peak / MIB).toFixed(1)} MiB); after a full ` +
            `GC: heap used ${(mem.heap.heapUsed / MIB).toFixed(1)} MiB of ${(mem.heap.heapTotal / MIB).toFixed(1)}`,
        ),
    });
    shared.fullStore = m.storeFile;
    const notes = [
      `idle listen ${(m.idle.rss / MIB).toFixed(1)} MiB; an idle bare node:http process ${bareIdle.toFixed(1)} MiB; ` +
        `peak (VmHWM) ${(m.long.peak / MIB).toFixed(1)} MiB`,
    ];
    if (m.summary) {
      notes.push(`listen stored ${m.summary.verified} deliveries, ${m.summary.duplicates} duplicates`);
      if (m.summary.duplicates > 0) notes.push('duplicates were not stored: the pool repeated an id');
    }
    const first = absoluteRow({
      id: 'listen-rss',
      figure: short,
      unit: 'MiB',
      value: m.short.rss / MIB,
      op: '<=',
      target: 80,
      runs: { idle: m.idle, short: m.short, long: m.long, bareIdleMiB: bareIdle },
      notes,
    });
    const flat = ratioRow({
      id: 'listen-rss-flat',
      figure: long,
      against: `after ${config.rssDeliveries.toLocaleString('en-US')}`,
      unit: 'MiB',
      value: m.long.rss / MIB,
      baseline: m.short.rss / MIB,
      op: '<=',
      target: 1.25,
    });
    const live = ratioRow({
      id: 'listen-live-heap',
      figure: `listen live heap after ${config.rssLongDeliveries.toLocaleString('en-US')} (V8 heap used after a full GC)`,
      against: `after ${config.rssDeliveries.toLocaleString('en-US')}`,
      unit: 'MiB',
      value: m.long.heap.heapUsed / MIB,
      baseline: m.short.heap.heapUsed / MIB,
      op: '<=',
      target: 1.25,
      notes: [
        `V8 heap total (what it has grown and keeps) ${(m.short.heap.heapTotal / MIB).toFixed(1)} → ` +
          `${(m.long.heap.heapTotal / MIB).toFixed(1)} MiB: RSS follows the heap V8 sizes for the allocation rate ` +
          '(its young generation grows under load and is not given back), not data that accumulates',
      ],
    });
    return [first, flat, live];
  } catch (error) {
    return [
      errorRow({ id: 'listen-rss', figure: short, error }),
      errorRow({ id: 'listen-rss-flat', figure: long, error }),
      errorRow({ id: 'listen-live-heap', figure: 'listen live heap', error }),
    ];
  }
}
