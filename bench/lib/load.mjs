// autocannon driven from this process against one receiver. Every connection gets its own slice of the
// pre-signed pool as static requests (built once, so the generator does no per-request work and the same
// bytes go to both receivers), and latencies are kept at full precision (autocannon's histogram is whole ms).
import autocannon from 'autocannon';

function slices(pool, n) {
  const out = Array.from({ length: n }, () => []);
  pool.forEach((r, i) => out[i % n].push(r));
  return out.map((s) => (s.length > 0 ? s : [pool[0]]));
}

export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/**
 * One load run. `seconds` for a timed run, or `amount` for a fixed number of requests (bounded by `maxSeconds`).
 * Returns 2xx deliveries/s, p50/p99 latency in ms over 2xx answers, and the error/non-2xx counts.
 */
export async function hammer({ url, pool, connections, seconds, amount, maxSeconds = 60 }) {
  const perClient = slices(pool, connections);
  let nextClient = 0;
  const target = new URL(url);
  const instance = autocannon({
    url: target.origin,
    connections,
    pipelining: 1,
    timeout: 10,
    ...(amount !== undefined ? { amount } : { duration: seconds }),
    requests: [perClient[0][0]],
    setupClient(client) {
      client.setRequests(perClient[nextClient++ % connections]);
    },
  });
  let latencies = new Float64Array(1 << 16);
  let n = 0;
  let firstAt = 0;
  let lastAt = 0;
  const nonOk = {};
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
    } else {
      nonOk[status] = (nonOk[status] ?? 0) + 1;
    }
  });
  const cap = setTimeout(() => instance.stop(), maxSeconds * 1000);
  let result;
  try {
    result = await instance;
  } finally {
    clearTimeout(cap);
  }
  const sorted = latencies.subarray(0, n).sort();
  // Timed from the first answer to the last: autocannon's own duration also counts client set-up and runs on to
  // its next 1 s sampling tick, which would skew a ratio between a fast and a slow receiver.
  const durationS = (lastAt - firstAt) / 1000;
  return {
    perSecond: durationS > 0 ? (n - 1) / durationS : 0,
    ok: n,
    nonOk,
    errors: result.errors,
    timeouts: result.timeouts,
    durationS,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
  };
}
