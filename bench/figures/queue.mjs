// Queue-first figures (issue 23): one receiver doing verify + Redis claim + BullMQ add against a bare node:http
// server doing only queue.add on the same Redis — throughput ≥ 0.8×, p99 ≤ 1.3× — and what a PostgreSQL claim
// (claim + complete, postgresDedupe) costs per delivery. Sides alternate per round; each side's deliveries are new
// (unique bodies, fresh signatures), so every one is claimed and queued. Needs Redis and PostgreSQL on 127.0.0.1
// (REDIS_URL / DATABASE_URL); without them the rows say ERROR.
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { startNode, stop } from '../lib/children.mjs';
import { ROOT } from '../lib/receivers.mjs';
import { errorRow, infoRow, median, quantile, ratioRow } from '../lib/report.mjs';

const require = createRequire(join(ROOT, 'package.json'));
const SECRET = 'whsec_bench_queue';
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const DATABASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

async function startSide(mode, names) {
  const entry = startNode([join(ROOT, 'bench', 'queue-server.mjs')], {
    env: { ...process.env, BENCH_QUEUE_MODE: mode, BENCH_SECRET: SECRET, REDIS_URL, ...names },
    name: `queue-${mode}`,
    stdout: 'pipe',
  });
  for (let i = 0; i < 300 && !entry.stdout.includes('\n'); i++) await new Promise((r) => setTimeout(r, 50));
  if (!entry.stdout.includes('\n')) throw new Error(`queue-server (${mode}) did not start: ${entry.stderr.trim()}`);
  return { entry, port: JSON.parse(entry.stdout.split('\n')[0]).port };
}

/** `connections` keep-alive loops posting new signed deliveries for `seconds`; latencies in ms. */
async function load(port, { connections, seconds, sign }) {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const latencies = [];
  let failed = 0;
  const until = performance.now() + seconds * 1000;
  const post = ({ body, headers }) =>
    new Promise((resolve) => {
      const t0 = performance.now();
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/', agent, headers }, (res) => {
        res.resume();
        res.on('end', () => resolve([res.statusCode, performance.now() - t0]));
      });
      req.on('error', () => resolve([0, performance.now() - t0]));
      req.end(body);
    });
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < until) {
        const [status, ms] = await post(sign());
        if (status === 200) latencies.push(ms);
        else failed += 1;
      }
    }),
  );
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { perSecond: latencies.length / seconds, p99: quantile(latencies, 0.99), failed };
}

async function queueRatios({ config, log }) {
  const { signPayload, buildSampleEvent } = await import(join(ROOT, 'dist', 'index.js'));
  const run = randomBytes(4).toString('hex');
  const names = { BENCH_QUEUE_NAME: `bench-queue-${run}`, BENCH_PREFIX: `pictify-bench-${run}` };
  let n = 0;
  const sign = () => {
    const body = JSON.stringify(buildSampleEvent('render.completed', { deliveryId: `del_${run}_${n++}` }));
    const signature = signPayload({ payload: body, secret: SECRET, timestamp: Math.floor(Date.now() / 1000) });
    return {
      body,
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        'x-pictify-signature': signature,
        'x-pictify-delivery-id': `del_${run}_${n}`,
      },
    };
  };
  const sides = { pictify: await startSide('pictify', names), bare: await startSide('bare', names) };
  const runs = { pictify: [], bare: [] };
  try {
    for (const side of ['pictify', 'bare'])
      await load(sides[side].port, { connections: config.connections, seconds: config.warmupSeconds, sign });
    for (let round = 0; round < config.rounds; round++) {
      for (const side of round % 2 === 0 ? ['pictify', 'bare'] : ['bare', 'pictify']) {
        const result = await load(sides[side].port, {
          connections: config.connections,
          seconds: config.loadSeconds,
          sign,
        });
        runs[side].push(result);
        log(`  ${side}: ${Math.round(result.perSecond)}/s, p99 ${result.p99.toFixed(1)} ms, ${result.failed} not 200`);
      }
    }
  } finally {
    await Promise.all(Object.values(sides).map((s) => stop(s.entry)));
    await cleanRedis(names.BENCH_PREFIX);
  }
  const against = 'bare node:http + queue.add, same Redis';
  const notes = [`${config.connections} connections, ${config.rounds} alternating rounds of ${config.loadSeconds} s`];
  // The same pair of runs, read two ways: the rate (higher is better) and the p99 (lower is better).
  const row = (id, figure, unit, pick, op, target) =>
    ratioRow({
      id,
      figure,
      against,
      unit,
      value: median(runs.pictify.map(pick)),
      baseline: median(runs.bare.map(pick)),
      op,
      target,
      runs,
      notes,
    });
  return [
    row('queue-throughput', 'verify + Redis claim + BullMQ add, deliveries/s', '/s', (r) => r.perSecond, '>=', 0.8),
    row('queue-p99', 'verify + Redis claim + BullMQ add, p99', 'ms', (r) => r.p99, '<=', 1.3),
  ];
}

async function cleanRedis(prefix) {
  const { Redis } = require('ioredis');
  const redis = new Redis(REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** claim + complete through postgresDedupe, one at a time and 16 at once, on a schema of its own. */
async function postgresClaimCost({ config, log }) {
  const pg = require('pg');
  const { migrate, postgresDedupe } = await import(join(ROOT, 'dist', 'adapters', 'stores', 'postgres.js'));
  const schema = `pictify_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
  await admin.query(`CREATE SCHEMA ${schema}`);
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 16, options: `-c search_path=${schema}` });
  try {
    await migrate(pool);
    const store = postgresDedupe(pool);
    let n = 0;
    const one = async () => {
      const keys = [`v1:${randomBytes(32).toString('hex')}`, `id:del_${n++}`];
      const claim = await store.claim(keys, 30_000);
      await store.complete(keys, claim.token, 97_200_000);
    };
    const timed = async (parallel, seconds) => {
      const latencies = [];
      const until = performance.now() + seconds * 1000;
      await Promise.all(
        Array.from({ length: parallel }, async () => {
          while (performance.now() < until) {
            const t0 = performance.now();
            await one();
            latencies.push(performance.now() - t0);
          }
        }),
      );
      latencies.sort((a, b) => a - b);
      return { perSecond: latencies.length / seconds, median: median(latencies), p99: quantile(latencies, 0.99) };
    };
    await timed(4, config.warmupSeconds);
    const serial = await timed(1, config.loadSeconds);
    const parallel = await timed(16, config.loadSeconds);
    log(
      `  postgres claim+complete: ${serial.median.toFixed(2)} ms each one at a time; ` +
        `${Math.round(parallel.perSecond)}/s with 16 at once (p99 ${parallel.p99.toFixed(1)} ms)`,
    );
    return [
      infoRow({
        id: 'postgres-claim',
        figure: 'postgresDedupe claim + complete per delivery (one at a time, median)',
        unit: 'ms',
        value: serial.median,
        runs: { serial, parallel },
        notes: [
          `two statements per delivery; 16 at once: ${Math.round(parallel.perSecond)}/s, p99 ${parallel.p99.toFixed(1)} ms`,
        ],
      }),
    ];
  } finally {
    await pool.end();
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  }
}

export async function queueFigures(context) {
  const rows = [];
  try {
    rows.push(...(await queueRatios(context)));
  } catch (error) {
    for (const id of ['queue-throughput', 'queue-p99'])
      rows.push(errorRow({ id, figure: 'verify + Redis claim + BullMQ add', against: 'bare queue.add', error }));
  }
  try {
    rows.push(...(await postgresClaimCost(context)));
  } catch (error) {
    rows.push(errorRow({ id: 'postgres-claim', figure: 'postgresDedupe claim + complete', error }));
  }
  return rows;
}
