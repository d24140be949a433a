// The load generator, always in its own process so it never shares an event loop (or a JIT) with the bench or
// the receiver: wrk (C, Debian package `wrk`) when it is on PATH, else autocannon in a child Node process
// (bench/lib/autocannon-child.mjs). Both replay a pool of pre-signed deliveries — each its own id and signature —
// written once to a file, each connection/thread walking its own slice, so the generator does no per-request
// signing and both receivers get the same bytes. Latency is kept in µs (wrk's histogram; autocannon's raw
// per-response times), never autocannon's whole-ms histogram.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_EVENT, BENCH_PATH } from './deliveries.mjs';

const AUTOCANNON_CHILD = fileURLToPath(new URL('./autocannon-child.mjs', import.meta.url));
let serial = 0;

/** wrk's version line when it is installed, else null (BENCH_GENERATOR=autocannon forces the fallback). */
export function wrkVersion() {
  if (process.env.BENCH_GENERATOR === 'autocannon') return null;
  const r = spawnSync('wrk', ['--version'], { encoding: 'utf8' });
  if (r.error) return null;
  const m = /wrk (\S+)/.exec(`${r.stdout}${r.stderr}`);
  return m ? m[1] : 'unknown';
}

/**
 * Generator settings to try, in order, until one has the headroom the bench asks for (bench/figures/receiver.mjs).
 * More connections keep more requests in flight; more threads (wrk) or processes (autocannon) use the second core.
 * (autocannon's pipelining cannot be combined with per-connection request lists, which distinct deliveries need.)
 */
export function generatorCandidates(connections) {
  const wrk = wrkVersion();
  if (wrk) {
    return [
      { kind: 'wrk', version: wrk, threads: 1, connections },
      { kind: 'wrk', version: wrk, threads: 1, connections: connections * 2 },
      { kind: 'wrk', version: wrk, threads: 2, connections: connections * 2 },
    ];
  }
  return [
    { kind: 'autocannon', threads: 1, connections },
    { kind: 'autocannon', threads: 1, connections: connections * 2 },
    { kind: 'autocannon', threads: 2, connections: connections * 2 },
  ];
}

export function describeGenerator(g) {
  const [name, unit] = g.kind === 'wrk' ? [`wrk ${g.version}`, 'thread'] : ['autocannon', 'process'];
  const units = g.threads === 1 ? unit : unit === 'thread' ? 'threads' : 'processes';
  return `${name}, ${g.threads} ${units}, ${g.connections} connections`;
}

/** One line per delivery: signature, delivery id, body (JSON has no raw tab or newline). */
function writePool(pool, tmp) {
  const file = join(tmp, `pool-${process.pid}-${++serial}.tsv`);
  const lines = pool.map(
    (r) => `${r.headers['x-pictify-signature']}\t${r.headers['x-pictify-delivery-id']}\t${r.body}`,
  );
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

// Each wrk thread keeps the pool lines i with i % threads == its index, pre-formatted once; request() walks them.
// done() prints one JSON line the bench parses. Amount mode (one thread): wrk itself only stops at -d, so after
// `amount` answers response() prints the counts and exits the process (response() makes wrk parse headers, so it
// is only there when needed).
function wrkScript({ poolFile, path, threads, amount }) {
  const lua = `
local counter = 0
function setup(thread)
  thread:set("index", counter)
  counter = counter + 1
end
local reqs, n, at, answered = {}, 0, 0, 0
function init(args)
  local i = 0
  for line in io.lines(${JSON.stringify(poolFile)}) do
    if i % ${threads} == index then
      local sig, id, body = line:match("^([^\\t]*)\\t([^\\t]*)\\t(.*)$")
      n = n + 1
      reqs[n] = wrk.format("POST", ${JSON.stringify(path)}, {
        ["Content-Type"] = "application/json",
        ["X-Pictify-Signature"] = sig,
        ["X-Pictify-Event"] = ${JSON.stringify(BENCH_EVENT)},
        ["X-Pictify-Delivery-Id"] = id,
      }, body)
    end
    i = i + 1
  end
end
function request()
  at = at % n + 1
  return reqs[at]
end
${
  amount
    ? `local bad = 0
function response(status, headers, body)
  answered = answered + 1
  if status < 200 or status > 299 then bad = bad + 1 end
  if answered >= ${amount} then
    io.write(string.format('WRKAMOUNT {"answered":%.0f,"nonOk":%.0f}\\n', answered, bad))
    io.flush()
    os.exit(0)
  end
end`
    : ''
}
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRKJSON {"requests":%.0f,"durationUs":%.0f,"p50Us":%.0f,"p99Us":%.0f,"maxUs":%.0f,' ..
    '"connect":%.0f,"read":%.0f,"write":%.0f,"status":%.0f,"timeout":%.0f}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout))
end
`;
  return lua;
}

function run(command, args, { timeoutMs, name }) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s) => (stderr += s));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`${name}: ${error.message}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`${name} exited ${code ?? signal}: ${stderr.trim() || stdout.slice(-500)}`));
      else resolve({ stdout, stderr });
    });
  });
}

async function driveWrk(g, { url, poolFile, seconds, amount, maxSeconds, tmp }) {
  const script = join(tmp, `wrk-${process.pid}-${++serial}.lua`);
  const threads = amount !== undefined ? 1 : g.threads;
  writeFileSync(script, wrkScript({ poolFile, path: new URL(url).pathname || BENCH_PATH, threads, amount }));
  // wrk takes whole seconds only (-d1.5s is a usage error).
  const duration = Math.max(1, Math.round(amount !== undefined ? maxSeconds : seconds));
  const started = performance.now();
  // Through sh, so wrk's own CPU time can be read afterwards: a shell's /proc/<pid>/stat counts the CPU of the
  // children it has waited for (cutime, cstime: fields 16 and 17, in clock ticks).
  const { stdout } = await run(
    'sh',
    [
      '-c',
      'wrk "$@"; s=$?; echo "WRKCPU $(cut -d" " -f16,17 /proc/$$/stat)"; exit $s',
      'sh',
      `-t${threads}`,
      `-c${g.connections}`,
      `-d${duration}s`,
      '--timeout',
      '10s',
      '-s',
      script,
      url,
    ],
    { timeoutMs: (duration + 30) * 1000, name: 'wrk' },
  );
  const cpuLine = stdout.split('\n').find((l) => l.startsWith('WRKCPU '));
  const ticks = cpuLine ? cpuLine.slice(7).split(' ').map(Number) : [];
  // USER_HZ is 100 on every Linux the bench targets.
  const generatorCpuMs = ticks.length === 2 && ticks.every(Number.isFinite) ? (ticks[0] + ticks[1]) * 10 : NaN;
  if (amount !== undefined) {
    const done = stdout.split('\n').find((l) => l.startsWith('WRKAMOUNT '));
    if (!done) throw new Error(`wrk did not get ${amount} answers within ${maxSeconds} s`);
    const a = JSON.parse(done.slice('WRKAMOUNT '.length));
    const durationS = (performance.now() - started) / 1000; // wall time of the process: a rough rate only
    const ok = a.answered - a.nonOk;
    return {
      perSecond: ok / durationS,
      ok,
      nonOk: a.nonOk,
      errors: 0,
      timeouts: 0,
      durationS,
      p50: NaN,
      p99: NaN,
      generatorCpuMs,
    };
  }
  const line = stdout.split('\n').find((l) => l.startsWith('WRKJSON '));
  if (!line) throw new Error(`wrk printed no summary:\n${stdout.slice(-500)}`);
  const s = JSON.parse(line.slice('WRKJSON '.length));
  const ok = s.requests - s.status;
  const durationS = s.durationUs / 1e6;
  return {
    perSecond: durationS > 0 ? ok / durationS : 0,
    ok,
    nonOk: s.status,
    errors: s.connect + s.read + s.write,
    timeouts: s.timeout,
    durationS,
    p50: s.p50Us / 1000,
    p99: s.p99Us / 1000,
    generatorCpuMs,
  };
}

async function driveAutocannon(g, { url, poolFile, seconds, amount, maxSeconds, tmp, rate }) {
  const processes = Array.from({ length: g.threads }, async (_, index) => {
    const latencyFile = join(tmp, `latencies-${process.pid}-${++serial}.f64`);
    const spec = {
      url,
      poolFile,
      slice: [index, g.threads],
      event: BENCH_EVENT,
      connections: Math.ceil(g.connections / g.threads),
      seconds,
      amount: amount !== undefined ? Math.ceil(amount / g.threads) : undefined,
      maxSeconds,
      latencyFile,
      rate: rate ? rate / g.threads : undefined,
    };
    const { stdout } = await run(process.execPath, [AUTOCANNON_CHILD, JSON.stringify(spec)], {
      timeoutMs: ((amount !== undefined ? maxSeconds : seconds) + 30) * 1000,
      name: 'autocannon',
    });
    const result = JSON.parse(stdout.trim().split('\n').at(-1));
    const bytes = readFileSync(latencyFile);
    result.latencies = new Float64Array(bytes.buffer, bytes.byteOffset, bytes.length / 8);
    return result;
  });
  const parts = await Promise.all(processes);
  const sum = (k) => parts.reduce((a, p) => a + p[k], 0);
  const all = new Float64Array(sum('ok'));
  let at = 0;
  for (const p of parts) {
    all.set(p.latencies, at);
    at += p.latencies.length;
  }
  all.sort();
  return {
    perSecond: sum('perSecond'),
    ok: sum('ok'),
    nonOk: sum('nonOk'),
    errors: sum('errors'),
    timeouts: sum('timeouts'),
    durationS: Math.max(...parts.map((p) => p.durationS)),
    p50: percentile(all, 50),
    p99: percentile(all, 99),
    generatorCpuMs: sum('cpuMs'),
  };
}

export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/**
 * One load run of generator `g` against `url` (origin + path). `seconds` for a timed run, or `amount` for about
 * that many answers (bounded by `maxSeconds`; in-flight requests may add up to one per connection); `rate` (autocannon
 * only) offers that many requests per second instead of as many as the receiver takes. Returns 2xx
 * answers/s, their count, non-2xx, connection errors and timeouts, p50/p99 latency in ms.
 */
export async function drive(g, { url, pool, seconds, amount, maxSeconds = 60, tmp, rate }) {
  const poolFile = writePool(pool, tmp);
  if (rate !== undefined) {
    // wrk offers no fixed rate: autocannon's overallRate does.
    if (g.kind !== 'autocannon') throw new Error('a fixed rate needs the autocannon generator');
    return driveAutocannon(g, { url, poolFile, seconds, amount, maxSeconds, tmp, rate });
  }
  return g.kind === 'wrk'
    ? driveWrk(g, { url, poolFile, seconds, amount, maxSeconds, tmp })
    : driveAutocannon(g, { url, poolFile, seconds, amount, maxSeconds, tmp });
}
