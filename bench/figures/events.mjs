// `events list` on a full store: a 50 MiB file of real records (the one listen rotated out during the RSS figure,
// or a fresh listen fed until it rotates), timed whole (spawn to exit), alternating with a bare node script that
// reads the same file and JSON.parses every line — the floor for any reader of a JSONL store.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, statSync, truncateSync, openSync, readSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, cliEnv } from '../lib/receivers.mjs';
import { errorRow, median, quantile, ratioRow } from '../lib/report.mjs';
import { fillStore } from './rss.mjs';

const MIB = 1024 * 1024;
const FLOOR = `
const text = require('node:fs').readFileSync(process.argv[1], 'utf8');
let n = 0;
for (let at = 0; at < text.length; ) {
  let end = text.indexOf('\\n', at);
  if (end === -1) end = text.length;
  if (end > at) { JSON.parse(text.slice(at, end)); n++; }
  at = end + 1;
}
process.stdout.write(n + '\\n');
`;

/** A copy of the store cut to `bytes` at a line end. */
function storeOf(source, bytes, dir) {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'events.jsonl');
  copyFileSync(source, file);
  const size = statSync(file).size;
  if (size > bytes) {
    const fd = openSync(file, 'r');
    const tail = Buffer.alloc(64 * 1024);
    const got = readSync(fd, tail, 0, tail.length, Math.max(0, bytes - tail.length));
    closeSync(fd);
    const cut = tail.subarray(0, got).lastIndexOf(0x0a);
    truncateSync(file, Math.max(0, bytes - got) + cut + 1);
  }
  return file;
}

function timed(args, env) {
  const started = performance.now();
  const r = spawnSync(process.execPath, args, { env, encoding: 'utf8', maxBuffer: 64 * MIB, timeout: 60_000 });
  const ms = performance.now() - started;
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`\`${args.join(' ')}\` exited ${r.status}: ${r.stderr.trim()}`);
  return { ms, stdout: r.stdout, stderr: r.stderr };
}

export async function eventsFigures({ config, tmp, log, shared }) {
  const figure = `\`events list\` on a ${config.eventsStoreMiB} MiB store (wall time, median)`;
  try {
    let source = shared.fullStore && `${shared.fullStore}.1`;
    if (!source || !existsSync(source)) {
      log('  (no full store from the RSS figure: filling one)');
      const filled = await fillStore(tmp, config);
      source = existsSync(`${filled.storeFile}.1`) ? `${filled.storeFile}.1` : filled.storeFile;
    }
    const file = storeOf(source, config.eventsStoreMiB * MIB, join(tmp, 'events-figure'));
    const size = statSync(file).size;
    const env = cliEnv(tmp);
    const list = [BIN, 'events', 'list', '--store', file];
    const floor = ['-e', FLOOR, file];
    const probe = timed(list, env);
    const records = Number(timed(floor, env).stdout.trim());
    if (!/evt_|del_/.test(probe.stdout))
      throw new Error(`events list printed no events: ${probe.stdout.slice(0, 300)}`);
    if (probe.stderr.includes('skipped')) throw new Error(`events list skipped lines: ${probe.stderr.trim()}`);
    const cli = [];
    const base = [];
    for (let i = 0; i < config.eventsRuns; i++) {
      base.push(timed(floor, env).ms);
      cli.push(timed(list, env).ms);
    }
    log(`  events list ${median(cli).toFixed(0)} ms vs read+parse ${median(base).toFixed(0)} ms (${records} records)`);
    const row = ratioRow({
      id: 'events-list',
      figure,
      against: 'node: read + JSON.parse every line',
      unit: 'ms',
      value: median(cli),
      baseline: median(base),
      op: '<=',
      target: 1.5,
      runs: { cli, baseline: base, bytes: size, records },
      notes: [`${(size / MIB).toFixed(1)} MiB, ${records.toLocaleString('en-US')} records written by listen`],
    });
    const [p25, p75] = [quantile(cli, 0.25), quantile(cli, 0.75)].map((v) => v.toFixed(0));
    row.spread = `cli p25–p75 ${p25}–${p75} ms over ${config.eventsRuns} runs`;
    return [row];
  } catch (error) {
    return [errorRow({ id: 'events-list', figure, error })];
  }
}
