// The autocannon fallback generator (when wrk is not installed), run as its own process by bench/lib/generator.mjs.
// Every connection gets its own slice of the pool file as static requests (built once, so the generator does no
// per-request work), and latencies are kept at full precision (autocannon's histogram is whole ms). Prints one
// JSON line and writes its raw latencies (ms, Float64) to latencyFile. argv[2]: {url, poolFile, slice: [index,
// count] of the pool lines this process sends, event, connections, seconds | amount, maxSeconds, latencyFile, rate?}.
import { readFileSync, writeFileSync } from 'node:fs';
import autocannon from 'autocannon';

const spec = JSON.parse(process.argv[2]);
const target = new URL(spec.url);

const perClient = Array.from({ length: spec.connections }, () => []);
readFileSync(spec.poolFile, 'utf8')
  .split('\n')
  .filter((line, i) => line && i % spec.slice[1] === spec.slice[0])
  .forEach((line, i) => {
    const [signature, id, body] = line.split('\t');
    perClient[i % spec.connections].push({
      method: 'POST',
      path: target.pathname,
      headers: {
        'content-type': 'application/json',
        'x-pictify-signature': signature,
        'x-pictify-event': spec.event,
        'x-pictify-delivery-id': id,
      },
      body,
    });
  });
for (let i = 0; i < perClient.length; i++) if (perClient[i].length === 0) perClient[i] = [perClient[0][0]];

let nextClient = 0;
const instance = autocannon({
  url: target.origin,
  connections: spec.connections,
  pipelining: 1,
  timeout: 10,
  ...(spec.amount !== undefined ? { amount: spec.amount } : { duration: spec.seconds }),
  // A fixed offered rate (requests/s over all connections) for latency below saturation.
  ...(spec.rate ? { overallRate: spec.rate } : {}),
  requests: [perClient[0][0]],
  setupClient(client) {
    client.setRequests(perClient[nextClient++ % spec.connections]);
  },
});
let latencies = new Float64Array(1 << 16);
let n = 0;
let nonOk = 0;
let firstAt = 0;
let lastAt = 0;
instance.on('response', (_client, status, _bytes, ms) => {
  lastAt = performance.now();
  if (firstAt === 0) firstAt = lastAt;
  if (status >= 200 && status < 300) {
    if (n === latencies.length) {
      const grown = new Float64Array(latencies.length * 2);
      grown.set(latencies);
      latencies = grown;
    }
    latencies[n++] = ms;
  } else nonOk += 1;
});
const cap = setTimeout(() => instance.stop(), (spec.maxSeconds ?? 60) * 1000);
const result = await instance;
clearTimeout(cap);
const sorted = latencies.subarray(0, n).sort();
writeFileSync(spec.latencyFile, sorted);
// From the first answer to the last: autocannon's own duration also counts client set-up and runs on to its next
// 1 s sampling tick.
const durationS = (lastAt - firstAt) / 1000;
process.stdout.write(
  `${JSON.stringify({
    perSecond: durationS > 0 ? (n - 1) / durationS : 0,
    ok: n,
    nonOk,
    errors: result.errors,
    timeouts: result.timeouts,
    durationS,
    cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
  })}\n`,
);
