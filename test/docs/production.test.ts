// docs/production.md executes: its js blocks are saved under the names their first line gives (`// app.mjs`), with
// the built package installed by name and express, bullmq, ioredis and pg beside it, against the real Redis and
// PostgreSQL. The Express receiver and the Redis worker handle all six events from `pictify-hooks send --all`, a
// second send of the same deliveries runs nothing again, failed.mjs lists no failed job, and the PostgreSQL worker
// stores render.completed through ctx.transaction. Its SQL block is the SQL migrate() runs.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, expect, it } from 'vitest';
import { extractBlocks } from './blocks.js';
import { REPO, runSteps } from './run-script.js';
import { MIGRATION_SQL } from '../../src/adapters/stores/postgres.js';
import { DEFAULT_REDIS_PREFIX } from '../../src/adapters/stores/redis.js';
import { describeWith, postgresForTest, REDIS_URL, uniqueName } from '../helpers/services.js';

/** The keys under redisDedupe's default prefix, which the examples use as written (no prefix of this file's own). */
async function defaultPrefixKeys(redis: Redis): Promise<Set<string>> {
  const keys = new Set<string>();
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${DEFAULT_REDIS_PREFIX}*`, 'COUNT', 1000);
    for (const key of batch) keys.add(key);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}

const PAGE = fileURLToPath(new URL('../../docs/production.md', import.meta.url));
const blocks = extractBlocks(readFileSync(PAGE, 'utf8'));
const files = Object.fromEntries(
  blocks
    .filter((b) => b.lang === 'js')
    .map((b) => [/^\/\/ ([\w-]+\.mjs)/.exec(b.code)?.[1] ?? `line ${b.line}`, b.code]),
);

it('docs/production.md: every js block names its file, and the SQL block is what migrate() runs', () => {
  expect(Object.keys(files).sort()).toEqual(['app.mjs', 'failed.mjs', 'worker-postgres.mjs', 'worker.mjs']);
  const sql = blocks.find((b) => b.lang === 'sql');
  expect(sql?.code.trim()).toBe(MIGRATION_SQL.trim());
});

describeWith(
  ['redis', 'postgres'],
  'docs/production.md',
  () => {
    const queueName = uniqueName('docs-production');
    let cleanup = async () => {};
    afterAll(() => cleanup());

    it('the receiver, both workers and failed.mjs run as written', { timeout: 200_000 }, async () => {
      const p = await postgresForTest('docs_production');
      const redis = new Redis(REDIS_URL);
      const before = await defaultPrefixKeys(redis);
      cleanup = async () => {
        const queue = new Queue(queueName, { connection: { url: REDIS_URL } });
        await queue.obliterate({ force: true });
        await queue.close();
        // The claims the examples made (kept 27 h otherwise): the default-prefix keys that were not there before.
        const made = [...(await defaultPrefixKeys(redis))].filter((key) => !before.has(key));
        if (made.length > 0) await redis.del(...made);
        redis.disconnect();
        await p.cleanup();
      };
      const env = {
        PICTIFY_WEBHOOK_SECRET: 'whsec_docs_production',
        REDIS_URL,
        DATABASE_URL: `${p.url}?options=${encodeURIComponent(`-c search_path=${p.schema}`)}`,
        WEBHOOK_QUEUE: queueName,
      };
      const links = ['express', 'bullmq', 'ioredis', 'pg']
        .map((m) => `ln -sfn ${JSON.stringify(join(REPO, 'node_modules', m))} node_modules/${m}`)
        .join('\n');
      const save = Object.entries(files)
        .map(([name, code]) => `cat > ${name} <<'__JS__'\n${code}__JS__\n`)
        .join('');
      const waitFor = (file: string, pattern: string, count: number) =>
        `for _ in $(seq 300); do [ "$(grep -c '${pattern}' ${file} || true)" -ge ${count} ] && break; sleep 0.2; done
[ "$(grep -c '${pattern}' ${file} || true)" -ge ${count} ] || { echo "${file}:"; cat ${file}; exit 1; }\n`;
      const run = await runSteps(
        [
          { name: 'npm i -D pictify-hooks', code: 'npm i -D pictify-hooks\n' },
          { name: 'npm i express bullmq ioredis pg', code: `${links}\n` },
          { name: 'save the files', code: save },
          {
            name: 'receiver + Redis worker, send --all twice, failed.mjs, then the PostgreSQL worker',
            env,
            code: `node app.mjs > app.log 2>&1 & app=$!
node worker.mjs > worker.log 2>&1 & worker=$!
trap 'kill $app $worker $pgworker 2>/dev/null; wait 2>/dev/null || true' EXIT
for _ in $(seq 200); do (exec 3<>/dev/tcp/127.0.0.1/4000) 2>/dev/null && break; sleep 0.1; done
pictify-hooks send --all --url http://127.0.0.1:4000/webhooks/pictify
${waitFor('worker.log', '^\\(rendered\\|render\\.failed\\|batch\\|binding\\)', 6)}
node failed.mjs > failed.log
[ ! -s failed.log ] || { echo "failed jobs:"; cat failed.log; exit 1; }
kill $worker; wait $worker 2>/dev/null || true
node worker-postgres.mjs > pg.log 2>&1 & pgworker=$!
pictify-hooks send --all --url http://127.0.0.1:4000/webhooks/pictify
${waitFor('pg.log', '^stored https://', 1)}
cat worker.log pg.log
`,
          },
        ],
        { timeoutMs: 180_000 },
      );
      const text = run.results.map((r) => `--- ${r.name}: exit ${r.code}\n${r.output}`).join('\n');
      expect(
        run.results.map((r) => r.code),
        text,
      ).toEqual([0, 0, 0, 0]);
      expect(run.results[3]!.output, text).not.toMatch(/^\S+ [45]\d\d\s/m);
      const worker = readFileSync(join(run.dir, 'work', 'worker.log'), 'utf8');
      expect(worker.trim().split('\n'), text).toHaveLength(6); // each event once
      const { rows } = await p.pool.query('SELECT url FROM renders');
      expect(rows, text).toHaveLength(1);
      expect(run.leftovers, text).toEqual([]);
    });
  },
  import.meta.url,
);
