// A loopback stand-in for a tunnel, for `demo`: a child process that forwards a second loopback port to listen and
// prints its "public" URL, the way a real tunnel prints its https one — so the demo runs listen --subscribe
// through the same machinery (--tunnel-command, its log, the self-test) without leaving the machine.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const SCRIPT = `import { createServer, request } from 'node:http';
const port = Number(process.argv[2]);
const edge = createServer((req, res) => {
  const upstream = request(
    { host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', () => {
    if (!res.headersSent) res.writeHead(502);
    res.end();
  });
  req.pipe(upstream);
});
edge.listen(0, '127.0.0.1', () =>
  console.log('stand-in tunnel ready: http://127.0.0.1:' + edge.address().port + ' -> 127.0.0.1:' + port),
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(0));
`;

export const STAND_IN_URL_PATTERN = 'ready: (http://127\\.0\\.0\\.1:\\d+)';

/** Writes the stand-in into `dir`; returns the --tunnel-command that runs it. */
export async function writeStandInTunnel(dir: string, nodePath: string): Promise<string> {
  const file = join(dir, 'stand-in-tunnel.mjs');
  await writeFile(file, SCRIPT);
  return `"${nodePath}" "${file}" {port}`;
}
