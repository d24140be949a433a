// The readers of a large store (issue 25): `events list`, `events show` and `inspect` on a generated store of
// BENCH_STORE_RECORDS records / BENCH_STORE_MIB MiB (400,000 / 1024 by default), each timed from spawn to exit (to
// Ready for inspect) with its peak RSS; and listen started on the same store: its time to Ready and its RSS with
// every stored delivery's keys in its duplicate index (issue 23 item 4). The store is written into the bench's temp
// folder and deleted at the end of the figure.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeBigStore } from '../lib/big-store.mjs';
import { memoryOf } from '../lib/children.mjs';
import { BIN, cliEnv } from '../lib/receivers.mjs';
import { absoluteRow, errorRow, infoRow, median } from '../lib/report.mjs';

const MIB = 1024 * 1024;

/** Wall time and peak RSS (GNU time's %M) of one command run to its end. */
function measured(args, env) {
  const started = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', 'PEAKKB %M CPU %U %S', process.execPath, ...args], {
    env,
    encoding: 'utf8',
    maxBuffer: 64 * MIB,
    timeout: 120_000,
  });
  const ms = performance.now() - started;
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`\`${args.join(' ')}\` exited ${r.status}: ${r.stderr.trim().slice(0, 500)}`);
  const m = /PEAKKB (\d+) CPU ([\d.]+) ([\d.]+)/.exec(r.stderr);
  // CPU (user + system) says what the command costs on a loaded machine, where wall time says how busy it is.
  return { ms, peakMiB: Number(m?.[1]) / 1024, cpuMs: (Number(m?.[2]) + Number(m?.[3])) * 1000, stdout: r.stdout };
}

/** A long-running command until its --ready-file appears: time to it, and its peak RSS by then. */
async function untilReady(args, env, readyFile) {
  const started = performance.now();
  const child = spawn(process.execPath, [...args, '--ready-file', readyFile], { env, stdio: 'ignore' });
  try {
    for (;;) {
      if (existsSync(readyFile) && readFileSync(readyFile, 'utf8').trim()) break;
      if (child.exitCode !== null) throw new Error(`\`${args.join(' ')}\` exited ${child.exitCode} before Ready`);
      if (performance.now() - started > 120_000) throw new Error(`\`${args.join(' ')}\` not Ready in 120 s`);
      await sleep(10);
    }
    const ms = performance.now() - started;
    const { rss, peak } = memoryOf(child.pid);
    return { ms, rssMiB: rss / MIB, peakMiB: peak / MIB };
  } finally {
    child.kill('SIGKILL');
    await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
    rmSync(readyFile, { force: true });
  }
}

export async function storeFigures({ config, tmp, log }) {
  const records = config.storeRecords;
  const label = `${records.toLocaleString('en-US')} records / ${config.storeMiB} MiB`;
  const ids = ['events-list-large', 'events-show-large', 'inspect-ready-large', 'listen-start-large'];
  const dir = join(tmp, 'big-store');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'events.jsonl');
  try {
    const t0 = performance.now();
    const store = writeBigStore(file, { records, bytes: config.storeMiB * MIB });
    log(
      `  wrote ${label} (${(store.bytes / MIB).toFixed(0)} MiB) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    const env = cliEnv(tmp);
    const runs = { list: [], showId: [], showDelivery: [], inspect: [], listen: [] };
    for (let i = 0; i < config.storeRuns; i++) {
      runs.list.push(measured([BIN, 'events', 'list', '--store', file], env));
      runs.showId.push(measured([BIN, 'events', 'show', store.middle.id, '--store', file], env));
      runs.showDelivery.push(measured([BIN, 'events', 'show', store.last.deliveryId, '--store', file], env));
      runs.inspect.push(await untilReady([BIN, 'inspect', '--store', file, '--ui-port', '0'], env, join(dir, 'ready')));
      runs.listen.push(
        await untilReady(
          [BIN, 'listen', '--port', '0', '--secret', 'whsec_big_store', '--store', file, '--store-max', '2gb'],
          env,
          join(dir, 'ready'),
        ),
      );
    }
    if (!runs.list[0].stdout.includes(store.last.id)) throw new Error('events list did not show the newest record');
    if (!runs.showId[0].stdout.includes(store.middle.id)) throw new Error('events show did not find the record');
    const ms = (list) => median(list.map((r) => r.ms));
    const peak = (list) => Math.max(...list.map((r) => r.peakMiB));
    const cpu = (list) => median(list.map((r) => r.cpuMs));
    const show = [...runs.showId, ...runs.showDelivery];
    for (const [name, list] of Object.entries(runs))
      log(
        `  ${name}: ${ms(list).toFixed(0)} ms, peak ${peak(list).toFixed(0)} MiB` +
          (list[0].cpuMs !== undefined ? `, CPU ${cpu(list).toFixed(0)} ms` : ''),
      );
    const rows = [
      absoluteRow({
        id: 'events-list-large',
        figure: `\`events list\` (newest 20) on ${label}: wall time, median`,
        unit: 'ms',
        value: ms(runs.list),
        op: '<=',
        target: 1000,
        runs: runs.list.map(({ ms: t, peakMiB, cpuMs }) => ({ ms: t, peakMiB, cpuMs })),
        notes: [`peak RSS ${peak(runs.list).toFixed(0)} MiB (target ≤ 150 MB), CPU ${cpu(runs.list).toFixed(0)} ms`],
      }),
      absoluteRow({
        id: 'events-show-large',
        figure: `\`events show\` (an id mid-store, the newest delivery id) on ${label}: wall time, median`,
        unit: 'ms',
        value: ms(show),
        op: '<=',
        target: 1000,
        runs: show.map(({ ms: t, peakMiB, cpuMs }) => ({ ms: t, peakMiB, cpuMs })),
        notes: [`peak RSS ${peak(show).toFixed(0)} MiB (target ≤ 150 MB), CPU ${cpu(show).toFixed(0)} ms`],
      }),
      absoluteRow({
        id: 'inspect-ready-large',
        figure: `\`inspect\` on ${label}: spawn to Ready, median`,
        unit: 'ms',
        value: ms(runs.inspect),
        op: '<=',
        target: 2000,
        runs: runs.inspect,
        notes: [`peak RSS by Ready ${peak(runs.inspect).toFixed(0)} MiB`],
      }),
      infoRow({
        id: 'listen-start-large',
        figure: `listen on ${label}: spawn to Ready with every delivery's keys indexed, median`,
        unit: 'ms',
        value: ms(runs.listen),
        runs: runs.listen,
        notes: [
          `RSS at Ready ${median(runs.listen.map((r) => r.rssMiB)).toFixed(0)} MiB, ` +
            `peak ${peak(runs.listen).toFixed(0)} MiB (${(records * 2).toLocaleString('en-US')} keys)`,
        ],
      }),
    ];
    return rows;
  } catch (error) {
    return ids.map((id) => errorRow({ id, figure: `${id} on ${label}`, error }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
