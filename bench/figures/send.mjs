// `send --count N --concurrency 64` against autocannon posting the same pre-signed body with 64 connections, both
// to the same minimal server. The rate is what that server observed (first request in to last answer out), so
// neither client grades itself; send's own summary is kept in results.json. send is a fresh process each run and
// signs every delivery itself; its Node start-up is outside the window (the start-up figures cover that).
import { setTimeout as sleep } from 'node:timers/promises';
import { startNode, stop } from '../lib/children.mjs';
import { BENCH_EVENT, BENCH_PATH, BENCH_SECRET, singleDelivery } from '../lib/deliveries.mjs';
import { hammer } from '../lib/load.mjs';
import { BIN, cliEnv, minimalStats, profileFlags, startMinimal, stopReceiver } from '../lib/receivers.mjs';
import { errorRow, median, ratioRow, spreadPct } from '../lib/report.mjs';

async function observed(server, count) {
  const s = await minimalStats(server.url, { reset: true });
  if (s.count !== count) throw new Error(`the server counted ${s.count} deliveries, expected ${count}`);
  const seconds = (s.lastAt - s.firstAt) / 1000;
  return seconds > 0 ? (s.count - 1) / seconds : NaN;
}

async function runSend(server, config, tmp, round) {
  const args = [
    ...profileFlags(config.profileDir, 'send'),
    BIN,
    '--json',
    'send',
    BENCH_EVENT,
    '--url',
    `${server.url}${BENCH_PATH}`,
    '--secret',
    BENCH_SECRET,
    '--count',
    String(config.sendCount),
    '--concurrency',
    String(config.connections),
  ];
  const child = startNode(args, { env: cliEnv(tmp), name: `send-${round}`, stdout: 'pipe' });
  const timer = setTimeout(() => stop(child), 120_000);
  const { code, signal } = await child.exited;
  clearTimeout(timer);
  if (code !== 0)
    throw new Error(`send exited ${code ?? signal}: ${child.stderr.trim()}\n${child.stdout.slice(0, 500)}`);
  let summary;
  try {
    summary = JSON.parse(child.stdout);
  } catch {
    throw new Error(`send --json printed no JSON summary: ${child.stdout.slice(0, 300)}`);
  }
  if (summary.ok !== config.sendCount)
    throw new Error(`send: ${summary.ok} of ${config.sendCount} ok (${JSON.stringify(summary.statuses)})`);
  return summary;
}

export async function sendFigures({ config, tmp, log }) {
  const figure = `\`send --count ${config.sendCount} --concurrency ${config.connections}\` deliveries/s`;
  let server;
  try {
    server = await startMinimal(tmp, { name: 'minimal-send' });
    const body = singleDelivery();
    await hammer({ url: server.url, pool: [body], connections: config.connections, seconds: config.warmupSeconds });
    await minimalStats(server.url, { reset: true });

    const runs = { send: [], autocannon: [], sendReported: [], autocannonReported: [] };
    for (let round = 0; round < config.sendRounds; round++) {
      const order = round % 2 === 0 ? ['autocannon', 'send'] : ['send', 'autocannon'];
      for (const side of order) {
        await sleep(300);
        if (side === 'send') {
          const summary = await runSend(server, config, tmp, round);
          runs.send.push(await observed(server, config.sendCount));
          runs.sendReported.push(summary.perSecond);
        } else {
          // Re-signed per run: the 300 s window must hold wherever the run falls in the bench.
          const run = await hammer({
            url: server.url,
            pool: [singleDelivery()],
            connections: config.connections,
            amount: config.sendCount,
            maxSeconds: 120,
          });
          if (run.ok !== config.sendCount) throw new Error(`autocannon: ${run.ok} of ${config.sendCount} answered 2xx`);
          runs.autocannon.push(await observed(server, config.sendCount));
          runs.autocannonReported.push(run.perSecond);
        }
        log(`  round ${round + 1} ${side.padEnd(10)} ${Math.round(runs[side].at(-1))}/s (server-observed)`);
      }
    }
    const row = ratioRow({
      id: 'send-throughput',
      figure,
      against: 'autocannon, same body',
      unit: '/s',
      value: Math.max(...runs.send),
      baseline: Math.max(...runs.autocannon),
      op: '>=',
      target: 0.8,
      runs: { ...runs, median: { send: median(runs.send), autocannon: median(runs.autocannon) } },
      notes: [`send's own summary: ${runs.sendReported.map((r) => Math.round(r)).join(', ')}/s`],
    });
    row.spread = `send ±${spreadPct(runs.send).toFixed(0)}%, autocannon ±${spreadPct(runs.autocannon).toFixed(0)}% over ${config.sendRounds} runs`;
    return [row];
  } catch (error) {
    return [errorRow({ id: 'send-throughput', figure, against: 'autocannon, same body', error })];
  } finally {
    if (server) await stopReceiver(server);
  }
}
