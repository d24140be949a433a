// Receiver and worker processes (test/fixtures/queue) on real Redis and PostgreSQL, for the queue-first tests:
// each test gets its own queue, BullMQ prefix, key prefix and schema, removed afterwards.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { REPO } from '../docs/run-script.js';
import { postgresForTest, redisForTest, uniqueName } from './services.js';
import { migrate } from '../../src/adapters/stores/postgres.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/queue/', import.meta.url));

export interface Started {
  child: ChildProcess;
  info: Record<string, unknown>;
  output: () => string;
}

export async function queueCluster(store: 'redis' | 'postgres', secret: string) {
  const r = redisForTest('queue');
  const p = await postgresForTest('queue', 4);
  if (store === 'postgres') await migrate(p.pool);
  await p.pool.query('CREATE TABLE runs_outside (delivery text NOT NULL, pid int NOT NULL)');
  await p.pool.query('CREATE TABLE runs_inside (delivery text NOT NULL, pid int NOT NULL)');
  const queueName = uniqueName('pictify-queue');
  const bullPrefix = `${r.prefix}bull`;
  const queue = new Queue(queueName, { connection: r.redis, prefix: bullPrefix });
  const children: ChildProcess[] = [];
  const baseEnv = {
    PATH: process.env.PATH ?? '',
    STORE: store,
    REDIS_URL: r.url,
    DATABASE_URL: p.url,
    SCHEMA: p.schema,
    KEY_PREFIX: r.prefix,
    QUEUE: queueName,
    BULL_PREFIX: bullPrefix,
    SECRET: secret,
  };

  /** Starts receiver.mjs or worker.mjs and resolves with the first JSON line it prints (port, ready). */
  function start(file: 'receiver.mjs' | 'worker.mjs', env: Record<string, string> = {}): Promise<Started> {
    const child = spawn(process.execPath, [`${FIXTURES}${file}`], {
      cwd: REPO,
      env: { ...baseEnv, ROLE: file === 'worker.mjs' ? 'worker' : 'receiver', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let out = '';
    child.stderr!.on('data', (c: Buffer) => (out += c));
    return new Promise((resolve, reject) => {
      child.stdout!.on('data', (c: Buffer) => {
        out += c;
        const line = out.split('\n').find((l) => l.startsWith('{'));
        if (line) resolve({ child, info: JSON.parse(line) as Record<string, unknown>, output: () => out });
      });
      child.once('exit', (code) => reject(new Error(`${file} exited ${code}: ${out}`)));
    });
  }

  async function counts() {
    const { rows } = await p.pool.query(`SELECT
      (SELECT count(DISTINCT delivery) FROM runs_outside)::int AS outside_distinct,
      (SELECT count(*) FROM runs_outside)::int AS outside_rows,
      (SELECT count(DISTINCT delivery) FROM runs_inside)::int AS inside_distinct,
      (SELECT count(*) FROM runs_inside)::int AS inside_rows,
      (SELECT count(*) FROM (SELECT delivery FROM runs_outside GROUP BY delivery HAVING count(*) > 1) d)::int
        AS outside_twice,
      (SELECT count(*) FROM (SELECT delivery FROM runs_inside GROUP BY delivery HAVING count(*) > 1) d)::int
        AS inside_twice`);
    return rows[0] as Record<string, number>;
  }

  return {
    queue,
    pool: p.pool,
    start,
    counts,
    async pending() {
      const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      return Object.values(c).reduce((a, b) => a + b, 0);
    },
    async cleanup() {
      for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await queue.close();
      await p.cleanup();
      await r.cleanup();
    },
  };
}
