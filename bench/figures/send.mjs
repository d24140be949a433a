// `send --count N --concurrency 64` against the load generator alone (bench/lib/generator.mjs: wrk, else
// autocannon) posting N pre-signed distinct deliveries over 64 connections, both to the same bare verifier. The rate
// is what that server observed (first request in to last answer out), so neither client grades itself; send's own
// summary is kept in results.json. send is a fresh process each run and signs every delivery itself; its Node
// start-up is outside the window (the start-up figures cover that).
import { setTimeout as sleep } from 'node:timers/promises';
import { startNode, stop } from '../lib/children.mjs';
import { BENCH_EVENT, BENCH_PATH, BENCH_SECRET, deliveryPool } from '../lib/deliveries.mjs';
import { describeGenerator, drive, generatorCandidates } from '../lib/generator.mjs';
import { BIN, cliEnv, minimalStats, profileFlags, startMinimal, stopReceiver } from '../lib/receivers.mjs';
import { errorRow, median, ratioRow, spreadPct } from '../lib/report.mjs';

async function observed(server, count) {
  const s = await minimalStats(server.url, { reset: true });
  // The generator may land up to one extra request per connection before it stops.
  if (s.count < count) throw new Error(`the server counted ${s.count} deliveries, expected ${count}`);
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
  const g = generatorCandidates(config.connections)[0];
  const figure = `\`send --count ${config.sendCount} --concurrency ${config.connections}\` → bare verifier, /s`;
  let server;
  try {
    server = await startMinimal(tmp, { name: 'minimal-send' });
    const url = `${server.url}${BENCH_PATH}`;
    await drive(g, { url, pool: deliveryPool(1000), seconds: config.warmupSeconds, tmp });
    await minimalStats(server.url, { reset: true });

    const runs = { send: [], generator: [], sendReported: [], generatorReported: [] };
    for (let round = 0; round < config.sendRounds; round++) {
      const order = round % 2 === 0 ? ['generator', 'send'] : ['send', 'generator'];
      for (const side of order) {
        await sleep(300);
        if (side === 'send') {
          const summary = await runSend(server, config, tmp, round);
          runs.send.push(await observed(server, config.sendCount));
          runs.sendReported.push(summary.perSecond);
        } else {
          // Signed per run: the 300 s window must hold wherever the run falls in the bench.
          const run = await drive(g, {
            url,
            pool: deliveryPool(config.sendCount + config.connections * 2),
            amount: config.sendCount,
            maxSeconds: 120,
            tmp,
          });
          if (run.ok < config.sendCount) throw new Error(`generator: ${run.ok} of ${config.sendCount} answered 2xx`);
          runs.generator.push(await observed(server, config.sendCount));
          runs.generatorReported.push(run.perSecond);
        }
        log(`  round ${round + 1} ${side.padEnd(10)} ${Math.round(runs[side].at(-1))}/s (server-observed)`);
      }
    }
    const row = ratioRow({
      id: 'send-throughput',
      figure,
      against: 'generator alone',
      unit: '/s',
      value: Math.max(...runs.send),
      baseline: Math.max(...runs.generator),
      op: '>=',
      target: 0.8,
      runs: { ...runs, median: { send: median(runs.send), generator: median(runs.generator) } },
      notes: [
        `generator: ${describeGenerator(g)}`,
        `send's own summary: ${runs.sendReported.map((r) => Math.round(r)).join(', ')}/s`,
      ],
    });
    row.spread =
      `send ±${spreadPct(runs.send).toFixed(0)}%, generator ±${spreadPct(runs.generator).toFixed(0)}% ` +
      `over ${config.sendRounds} runs`;
    return [row];
  } catch (error) {
    return [errorRow({ id: 'send-throughput', figure, against: 'generator alone', error })];
  } finally {
    if (server) await stopReceiver(server);
  }
}
