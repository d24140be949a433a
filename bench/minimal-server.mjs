// The baseline receiver: the least a correct Pictify webhook endpoint must do on node:http — read the raw body,
// HMAC-SHA256 "<t>.<body>" with the secret, compare with timingSafeEqual (length checked first), answer JSON.
// Started as its own process, like listen, under the same conditions (stdout to /dev/null, --ready-file style).
//
// env: BENCH_SECRET, BENCH_READY_FILE. GET /__stats answers counters for the send figure (server-observed rate):
// one method check on the hot path, and listen is measured without it.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { rename, writeFile } from 'node:fs/promises';

const secret = process.env.BENCH_SECRET;
const readyFile = process.env.BENCH_READY_FILE;
if (!secret || !readyFile) throw new Error('BENCH_SECRET and BENCH_READY_FILE are required');

const OK = '{"received":true}';
const BAD = '{"error":"signature_mismatch"}';
let count = 0;
let firstAt = 0;
let lastAt = 0;

function verified(header, body) {
  if (typeof header !== 'string') return false;
  let t;
  let v1;
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim();
    if (key === 't') t = part.slice(eq + 1).trim();
    else if (key === 'v1') v1 = part.slice(eq + 1).trim();
  }
  if (t === undefined || v1 === undefined) return false;
  const expected = createHmac('sha256', secret).update(`${t}.`).update(body).digest();
  const given = Buffer.from(v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const server = createServer({ keepAlive: true }, (req, res) => {
  if (req.method === 'GET') {
    const body = JSON.stringify({ count, firstAt, lastAt });
    if (req.url === '/__stats?reset') count = firstAt = lastAt = 0;
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
    return;
  }
  if (count === 0) firstAt = performance.now();
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
    const ok = verified(req.headers['x-pictify-signature'], body);
    const answer = ok ? OK : BAD;
    res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json', 'content-length': answer.length });
    res.end(answer);
    count += 1;
    lastAt = performance.now();
  });
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
