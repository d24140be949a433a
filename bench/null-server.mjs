// The generator's ceiling: answers 200 to every request and reads nothing (node:http discards the unread body when
// the answer ends). What a generator drives here is the most it can drive any node:http receiver; the bench
// needs it well above the bare verifier's rate before it believes any receiver figure. env: BENCH_READY_FILE.
import { createServer } from 'node:http';
import { rename, writeFile } from 'node:fs/promises';

const readyFile = process.env.BENCH_READY_FILE;
if (!readyFile) throw new Error('BENCH_READY_FILE is required');
const OK = '{"received":true}';
const HEADERS = { 'content-type': 'application/json', 'content-length': OK.length };

const server = createServer({ keepAlive: true }, (_req, res) => {
  res.writeHead(200, HEADERS);
  res.end(OK);
});

server.listen(0, '127.0.0.1', async () => {
  const tmp = `${readyFile}.tmp`;
  await writeFile(tmp, `http://127.0.0.1:${server.address().port}\n`);
  await rename(tmp, readyFile);
});

process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
});
