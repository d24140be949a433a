// `npm run bench`: measures pictify-hooks against same-run baselines on this machine, prints a table, writes
// bench/results.json. Loopback only. Exit 0 when every figure was measured (MISS included), 1 when one could not
// be. Sizes: bench/lib/config.mjs (BENCH_QUICK=1 for a ~35 s smoke run).
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { killAllNow, stopAll } from './lib/children.mjs';
import { config } from './lib/config.mjs';
import { ROOT } from './lib/receivers.mjs';
import { errorRow, renderTable } from './lib/report.mjs';

const FIGURES = {
  startup: () => import('./figures/startup.mjs').then((m) => m.startupFigures),
  receiver: () => import('./figures/receiver.mjs').then((m) => m.receiverFigures),
  rss: () => import('./figures/rss.mjs').then((m) => m.rssFigures),
  events: () => import('./figures/events.mjs').then((m) => m.eventsFigures),
  send: () => import('./figures/send.mjs').then((m) => m.sendFigures),
  verify: () => import('./figures/verify.mjs').then((m) => m.verifyFigures),
  store: () => import('./figures/store.mjs').then((m) => m.storeFigures),
  queue: () => import('./figures/queue.mjs').then((m) => m.queueFigures),
};

const log = (line) => process.stderr.write(`${line}\n`);

const loadNow = () => loadavg().map((n) => Math.round(n * 100) / 100);

function machine() {
  const list = cpus();
  return {
    cpu: list[0]?.model ?? 'unknown',
    cores: list.length,
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    os: `${process.platform} ${release()}`,
    node: process.version,
    loadAverageAtStart: loadNow(),
  };
}

async function main() {
  if (!existsSync(join(ROOT, 'dist', 'bundle', 'pictify-hooks.cjs')))
    throw new Error('dist/ is missing: run `npm run build` (npm run bench does)');

  const started = performance.now();
  const tmp = mkdtempSync(join(tmpdir(), 'pictify-hooks-bench-'));
  tmpDir = tmp;
  // The cap is soft: a figure still running at it is cut, the ones after it are not started, and the table of what
  // was measured is printed all the same (those rows say ERROR). A minute later it is hard.
  const deadline = started + config.maxSeconds * 1000;
  const cap = setTimeout(
    () => {
      log(`bench: a minute over the ${config.maxSeconds} s cap (BENCH_MAX_SECONDS); stopping`);
      process.exit(1); // the exit handler kills the children and removes the temp folder
    },
    (config.maxSeconds + 60) * 1000,
  );
  cap.unref();

  const info = machine();
  log(
    `pictify-hooks bench — ${info.cpu}, ${info.cores} cores, Node ${info.node}, ` +
      `load average ${info.loadAverageAtStart.join(' ')}${config.quick ? ' (BENCH_QUICK)' : ''}`,
  );
  const rows = [];
  const shared = {}; // what one figure leaves for a later one (the full store the RSS run wrote)
  try {
    let overCap = false;
    for (const name of config.figures) {
      const left = deadline - performance.now();
      if (overCap || left <= 0) {
        overCap = true;
        const error = new Error(`not started: the bench was over its ${config.maxSeconds} s cap (BENCH_MAX_SECONDS)`);
        rows.push(errorRow({ id: name, figure: `${name} figures`, error }));
        continue;
      }
      const t0 = performance.now();
      log(`${name}…`);
      const measure = await FIGURES[name]();
      let timer;
      const cut = new Promise((resolve) => (timer = setTimeout(() => resolve(null), left)));
      const measured = await Promise.race([measure({ config, tmp, log, shared }), cut]);
      clearTimeout(timer);
      if (measured === null) {
        overCap = true;
        log(`  cut at the ${config.maxSeconds} s cap`);
        await stopAll();
        const error = new Error(`cut: the bench reached its ${config.maxSeconds} s cap (BENCH_MAX_SECONDS) here`);
        rows.push(errorRow({ id: name, figure: `${name} figures`, error }));
        continue;
      }
      rows.push(...measured);
      log(`  (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    }
  } finally {
    await stopAll();
    removeTmp();
    clearTimeout(cap);
  }

  const seconds = (performance.now() - started) / 1000;
  const table = renderTable(rows);
  process.stdout.write(`\n${table}\n\n`);
  for (const row of rows) {
    for (const note of row.notes ?? [])
      process.stdout.write(`${row.status === 'ERROR' ? 'ERROR' : 'note'} (${row.id}): ${note}\n`);
  }
  const count = (status) => rows.filter((r) => r.status === status).length;
  const errors = count('ERROR');
  const bound = rows.filter((r) => r.bound).length;
  process.stdout.write(
    `\n${count('MET')} met, ${count('MISS')} missed, ${errors} not measured, ${count('N/A')} not in this build, ` +
      `${count('INFO')} informational${bound ? `, ${bound} GENERATOR-BOUND` : ''} — ${seconds.toFixed(0)} s; ` +
      `load average at start ${info.loadAverageAtStart.join(' ')}, now ${loadNow().join(' ')} (${info.cores} cores)\n`,
  );

  const results = {
    date: new Date().toISOString(),
    machine: { ...info, loadAverageAtEnd: loadNow() },
    config,
    durationSeconds: Math.round(seconds * 10) / 10,
    rows,
    table,
  };
  writeFileSync(join(ROOT, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write('wrote bench/results.json\n');
  return errors > 0 ? 1 : 0;
}

let tmpDir;
function removeTmp() {
  if (tmpDir) rmSync(tmpDir, { recursive: true, force: true });
  tmpDir = undefined;
}

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));
process.on('exit', () => {
  killAllNow();
  removeTmp();
});

main().then(
  (code) => {
    process.exitCode = code;
  },
  async (error) => {
    log(`bench failed: ${error.stack ?? error}`);
    await stopAll();
    process.exitCode = 1;
  },
);
