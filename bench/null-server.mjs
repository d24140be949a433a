// The generator's ceiling: answers 200 to every request and reads nothing — a raw TCP server that only finds where
// each request ends (the blank line after the headers, then Content-Length bytes) and writes one canned answer per
// request. No HTTP parser, no request objects, no body kept, so it costs a few µs of CPU per request: what a
// generator drives here is what it can drive, not what node:http can take (node:http alone, answering without
// reading, costs ~60 % of the bare verifier's CPU per request, so a node:http null server could never show 1.5×).
// env: BENCH_READY_FILE.
import { createServer } from 'node:net';
import { rename, writeFile } from 'node:fs/promises';

const readyFile = process.env.BENCH_READY_FILE;
if (!readyFile) throw new Error('BENCH_READY_FILE is required');
const OK = '{"received":true}';
const ANSWER = Buffer.from(
  `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${OK.length}\r\nConnection: keep-alive\r\n\r\n${OK}`,
);
const HEAD_END = Buffer.from('\r\n\r\n');
const LENGTH = /\r\ncontent-length:[ \t]*(\d+)/i;

const server = createServer({ noDelay: true }, (socket) => {
  let pending = null; // bytes of an unfinished head
  let bodyLeft = 0; // body bytes still to skip
  socket.on('data', (chunk) => {
    let at = 0;
    let answers = 0;
    if (pending) {
      chunk = Buffer.concat([pending, chunk]);
      pending = null;
    }
    while (at < chunk.length) {
      if (bodyLeft > 0) {
        const skip = Math.min(bodyLeft, chunk.length - at);
        bodyLeft -= skip;
        at += skip;
        if (bodyLeft > 0) break;
        answers += 1;
        continue;
      }
      const end = chunk.indexOf(HEAD_END, at);
      if (end === -1) {
        pending = chunk.subarray(at);
        break;
      }
      const m = LENGTH.exec(chunk.latin1Slice(at, end));
      at = end + 4;
      bodyLeft = m ? Number(m[1]) : 0;
      if (bodyLeft === 0) answers += 1;
    }
    if (answers === 1) socket.write(ANSWER);
    else if (answers > 1) socket.write(Buffer.concat(Array(answers).fill(ANSWER)));
  });
  socket.on('error', () => socket.destroy());
});

server.listen(0, '127.0.0.1', async () => {
  const tmp = `${readyFile}.tmp`;
  await writeFile(tmp, `http://127.0.0.1:${server.address().port}\n`);
  await rename(tmp, readyFile);
});

const sockets = new Set();
server.on('connection', (s) => {
  sockets.add(s);
  s.once('close', () => sockets.delete(s));
});
process.on('SIGTERM', () => {
  server.close();
  for (const s of sockets) s.destroy();
});
