// What a user's app prints when a delivery fails on the receiving side and no onError was given: a line on stderr
// (with the stack), never a silent 500; nothing for what the sender got wrong (401) or for acknowledge(error).
// And postgresDedupe before migrate(): the error names the table and what to run. Real apps, as child processes,
// importing the built library.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/adapters/stores/postgres.js';
import type { EventName } from '../../src/events/index.js';
import { waitFor } from '../helpers/bin.js';
import { DATABASE_URL, describeWith, postgresForTest } from '../helpers/services.js';
import { postSignedDelivery } from '../helpers/signed-delivery.js';

const SECRET = 'whsec_failure_log';
const dist = (path: string) => pathToFileURL(join(__dirname, '..', '..', 'dist', path)).href;
const pgUrl = pathToFileURL(createRequire(__filename).resolve('pg')).href;
const dir = mkdtempSync(join(tmpdir(), 'pictify-hooks-failure-log-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface App {
  url: string;
  stderr(): string;
  stop(): Promise<void>;
}
const running: ChildProcess[] = [];
afterEach(() => {
  for (const child of running.splice(0)) child.kill('SIGKILL');
});

/** A node:http app on pictifyHandler; `options` is the source of its options object after `secret`. */
async function startApp(name: string, options: string, env: Record<string, string> = {}): Promise<App> {
  const file = join(dir, `${name}.mjs`);
  writeFileSync(
    file,
    `import { createServer } from 'node:http';
import { acknowledge } from ${JSON.stringify(dist('index.js'))};
import { pictifyHandler } from ${JSON.stringify(dist('adapters/node.js'))};
import { postgresDedupe } from ${JSON.stringify(dist('adapters/stores/postgres.js'))};
import pg from ${JSON.stringify(pgUrl)};
void acknowledge; void postgresDedupe; void pg;
const webhooks = pictifyHandler({ secret: ${JSON.stringify(SECRET)}, ${options} });
const server = createServer((req, res) => void webhooks(req, res));
server.listen(0, '127.0.0.1', () => console.log('port ' + server.address().port));
process.on('SIGTERM', () => process.exit(0));
`,
  );
  const child = spawn(process.execPath, [file], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const port = await waitFor(() => /port (\d+)/.exec(stdout)?.[1], `${name} listening (stderr: ${stderr})`);
  return {
    url: `http://127.0.0.1:${port}/`,
    stderr: () => stderr,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

function deliver(app: App, event: EventName, deliveryId: string, secret = SECRET) {
  return postSignedDelivery(app.url, { secret, event, deliveryId });
}

const THROWING = `on: {
  'render.completed': () => { throw new Error('boom from the handler'); },
  'render.failed': () => { throw acknowledge(new Error('acknowledged on purpose')); },
}`;

describe('an app without onError', () => {
  it("logs a handler's failure with its stack; not a forged delivery, not an acknowledged error", async () => {
    const app = await startApp('no-on-error', THROWING);
    expect((await deliver(app, 'render.completed', 'del_forged', 'whsec_someone_else')).status).toBe(401);
    expect((await deliver(app, 'render.failed', 'del_acked')).status).toBe(200);
    expect(await deliver(app, 'render.completed', 'del_boom')).toMatchObject({
      status: 500,
      body: '{"error":"handler_failed"}',
    });
    // The delivery id is a header the signature does not cover: a C1 control in it (CSI) is printed escaped.
    expect((await deliver(app, 'render.completed', 'del_\u009b31m_csi')).status).toBe(500);
    await app.stop();

    const stderr = app.stderr();
    expect(stderr).toContain('pictify-hooks: delivery del_boom (answered 500): Error: boom from the handler');
    expect(stderr).toMatch(/^\s+at .*no-on-error\.mjs/m);
    expect(stderr).toContain('pictify-hooks: delivery del_\\x9b31m_csi (answered 500)');
    expect(stderr).not.toContain('\u009b');
    expect(stderr).not.toContain('del_forged');
    expect(stderr).not.toContain('acknowledged on purpose');
  });

  it('prints nothing when onError is given (here: to silence them)', async () => {
    const app = await startApp('quiet', `${THROWING}, onError: () => {}`);
    expect((await deliver(app, 'render.completed', 'del_boom')).status).toBe(500);
    await app.stop();
    expect(app.stderr()).toBe('');
  });
});

describeWith(
  ['postgres'],
  'postgresDedupe before migrate()',
  () => {
    it('answers 500 dedupe_failed and says which table is missing and what to run; after migrate, 200', async () => {
      const db = await postgresForTest('failure_log');
      try {
        const app = await startApp(
          'no-table',
          `dedupe: postgresDedupe(new pg.Pool({ connectionString: process.env.APP_DATABASE_URL, options: '-c search_path=' + process.env.APP_SCHEMA }), { table: 'webhook_claims' }), on: { '*': () => {} }`,
          { APP_DATABASE_URL: DATABASE_URL, APP_SCHEMA: db.schema },
        );
        expect(await deliver(app, 'render.completed', 'del_before')).toMatchObject({
          status: 500,
          body: '{"error":"dedupe_failed"}',
        });
        await migrate(db.pool, { table: 'webhook_claims' });
        expect((await deliver(app, 'render.completed', 'del_after')).status).toBe(200);
        await app.stop();
        const lines = app.stderr().split('\n');
        expect(lines[0]).toBe(
          'pictify-hooks: delivery del_before (answered 500): MissingTableError: pictify-hooks: ' +
            "postgresDedupe's table webhook_claims does not exist in this database: run `await migrate(pool)` once " +
            'before serving (or the SQL of migrationSql(), shown in docs/production.md)',
        );
        expect(app.stderr()).toContain('relation "webhook_claims" does not exist'); // the cause, kept
        expect(app.stderr()).not.toContain('del_after');
      } finally {
        await db.cleanup();
      }
    });
  },
  __filename,
);
