// vitest globalSetup: asks Redis and PostgreSQL whether they answer before any suite runs, hands the answer to the
// suites (test/helpers/services.ts), and after the run names the suites that did not run for want of them — in the
// last lines of the output, where a reader looks. In CI those suites fail instead (.ci/run starts the servers).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const DATABASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

/** One round trip on a raw socket (RESP PING for Redis; PostgreSQL's SSLRequest, answered 'S' or 'N'). */
function probe(url: string, request: Buffer, answered: (reply: Buffer) => boolean): Promise<string | null> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname.replace(/^\[|\]$/g, ''), port: Number(port) });
    const done = (why: string | null) => {
      socket.destroy();
      resolve(why);
    };
    socket.setTimeout(2_000, () => done(`no answer from ${hostname}:${port} within 2 s`));
    socket.once('error', (error) => done(`${hostname}:${port} ${(error as NodeJS.ErrnoException).code ?? error}`));
    socket.once('connect', () => socket.write(request));
    socket.once('data', (reply) => done(answered(reply) ? null : `${hostname}:${port} answered something else`));
  });
}

let markers = '';

export default async function setup(project: TestProject) {
  const [redis, postgres] = await Promise.all([
    probe(REDIS_URL, Buffer.from('*1\r\n$4\r\nPING\r\n'), (r) => r.toString().startsWith('+PONG')),
    probe(DATABASE_URL, Buffer.from([0, 0, 0, 8, 4, 210, 22, 47]), (r) => r[0] === 0x53 || r[0] === 0x4e),
  ]);
  markers = mkdtempSync(join(tmpdir(), 'pictify-services-'));
  project.provide('services', { redis, postgres });
  project.provide('servicesMarkers', markers);
  return () => {
    const lines = readdirSync(markers).map((f) => readFileSync(join(markers, f), 'utf8').trim());
    rmSync(markers, { recursive: true, force: true });
    if (lines.length === 0) return;
    const unique = [...new Set(lines)].sort();
    process.stdout.write(
      `\nDID NOT RUN (a server they test against did not answer; start Redis and PostgreSQL, or set ` +
        `REDIS_URL / DATABASE_URL):\n${unique.map((l) => `  ${l}`).join('\n')}\n`,
    );
  };
}
