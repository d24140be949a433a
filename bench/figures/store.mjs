// The readers of a large store (issue 25): `events list`, `events show` and `inspect` on a generated store of
// BENCH_STORE_RECORDS records / BENCH_STORE_MIB MiB (400,000 / 1024 by default), each timed from spawn to exit (to
// Ready for inspect, then to its first page of deliveries answered) with its peak RSS; and listen started on the
// same store: its time to Ready and its RSS with every stored delivery's keys in its duplicate index (issue 23 item
// 4). The store is written once into bench/.cache (kept: a 1 GB store takes a while to write) and linked into the
// bench's temp folder for each run.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeBigStore } from '../lib/big-store.mjs';
import { memoryOf } from '../lib/children.mjs';
import { BIN, cliEnv } from '../lib/receivers.mjs';
import { absoluteRow, errorRow, infoRow, median } from '../lib/report.mjs';

const MIB = 1024 * 1024;
const CACHE = new URL('../.cache/', import.meta.url);

/**
 * The store of `records` / `mib` from bench/.cache, written there first when missing; linked (else copied) to
 * `file`, so what the commands do to their store never touches the cached one.
 */
function cachedStore(file, records, mib, log) {
  const name = `big-store-${records}-${mib}`;
  const cached = new URL(`${name}.jsonl`, CACHE);
  const picks = new URL(`${name}.json`, CACHE);
  if (!existsSync(cached) || !existsSync(picks)) {
    mkdirSync(CACHE, { recursive: true });
    const t0 = performance.now();
    const store = writeBigStore(cached.pathname, { records, bytes: mib * MIB });
    writeFileSync(picks, JSON.stringify(store));
    log(`  wrote ${name} (${(store.bytes / MIB).toFixed(0)} MiB) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } else log(`  reusing bench/.cache/${name}.jsonl`);
  try {
    linkSync(cached, file);
  } catch {
    copyFileSync(cached, file);
  }
  return JSON.parse(readFileSync(picks, 'utf8'));
}

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

/**
 * A long-running command until its --ready-file appears: time to it, and its peak RSS by then; then `after(url,
 * started)` (requests to the server it started) and the peak RSS after those.
 */
async function untilReady(args, env, readyFile, after) {
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
    const more = after ? await after(new URL(readFileSync(readyFile, 'utf8').trim()), started) : {};
    const afterPeak = after ? memoryOf(child.pid).peak / MIB : undefined;
    return { ms, rssMiB: rss / MIB, peakMiB: peak / MIB, ...more, afterPeakMiB: afterPeak };
  } finally {
    child.kill('SIGKILL');
    await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
    rmSync(readyFile, { force: true });
  }
}

/** inspect's page as a browser opens it: the first page of deliveries, a delivery's detail, then a search. */
function inspectorRequests(store) {
  return async (url, started) => {
    const get = async (path) => {
      const t0 = performance.now();
      const response = await fetch(new URL(path, url.origin), {
        headers: { 'x-inspector-token': url.searchParams.get('token') },
      });
      const body = await response.json();
      if (!response.ok) throw new Error(`inspect answered ${response.status} to ${path}`);
      return { body, ms: performance.now() - t0 };
    };
    const page = await get('/api/deliveries?limit=200');
    const firstPageMs = performance.now() - started;
    if (page.body.items[0]?.id !== store.last.id) throw new Error('inspect: the first page is not the newest');
    const detail = await get(`/api/deliveries/${store.middle.id}`);
    if (detail.body.id !== store.middle.id) throw new Error('inspect: the detail is not the one asked for');
    const search = await get(`/api/deliveries?limit=200&q=${store.middle.deliveryId}`);
    if (search.body.total !== 1) throw new Error(`inspect: the search found ${search.body.total}, not 1`);
    return { firstPageMs, detailMs: detail.ms, searchMs: search.ms };
  };
}

export async function storeFigures({ config, tmp, log }) {
  const records = config.storeRecords;
  const label = `${records.toLocaleString('en-US')} records / ${config.storeMiB} MiB`;
  const ids = [
    'events-list-large',
    'events-show-large',
    'inspect-ready-large',
    'inspect-first-page-large',
    'listen-start-large',
  ];
  const dir = join(tmp, 'big-store');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'events.jsonl');
  try {
    const store = cachedStore(file, records, config.storeMiB, log);
    const env = cliEnv(tmp);
    const runs = { list: [], showId: [], showDelivery: [], inspect: [], listen: [] };
    for (let i = 0; i < config.storeRuns; i++) {
      runs.list.push(measured([BIN, 'events', 'list', '--store', file], env));
      runs.showId.push(measured([BIN, 'events', 'show', store.middle.id, '--store', file], env));
      runs.showDelivery.push(measured([BIN, 'events', 'show', store.last.deliveryId, '--store', file], env));
      runs.inspect.push(
        await untilReady(
          [BIN, 'inspect', '--store', file, '--ui-port', '0'],
          env,
          join(dir, 'ready'),
          inspectorRequests(store),
        ),
      );
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
      absoluteRow({
        id: 'inspect-first-page-large',
        figure: `\`inspect\` on ${label}: spawn to its first page of deliveries answered, median`,
        unit: 'ms',
        value: median(runs.inspect.map((r) => r.firstPageMs)),
        op: '<=',
        target: 2000,
        runs: runs.inspect,
        notes: [
          `peak RSS after the first page, a detail and a search ${Math.max(...runs.inspect.map((r) => r.afterPeakMiB)).toFixed(0)} MiB; ` +
            `a mid-store detail asked at once (it waits for the facts pass) ${median(runs.inspect.map((r) => r.detailMs)).toFixed(0)} ms, ` +
            `search for a delivery id ${median(runs.inspect.map((r) => r.searchMs)).toFixed(0)} ms`,
        ],
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
