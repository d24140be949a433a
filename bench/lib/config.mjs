// Bench sizes, all overridable by env so a noisy CI box or a quick local check can shrink them.
// BENCH_QUICK=1 is a ~35 s smoke run: same figures, shorter loads, fewer rounds.
const env = process.env;
const quick = env.BENCH_QUICK === '1' || env.BENCH_QUICK === 'true';

function int(name, fallback, { min = 1 } = {}) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer ≥ ${min}, got "${raw}"`);
  return n;
}

function num(name, fallback) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return n;
}

// Short figures first: on a slow machine the time cap then cuts the last (events needs rss's full store).
const FIGURES = ['startup', 'receiver', 'verify', 'send', 'queue', 'rss', 'events', 'store'];

function only() {
  const raw = env.BENCH_ONLY;
  if (!raw) return FIGURES;
  const picked = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const p of picked)
    if (!FIGURES.includes(p)) throw new Error(`BENCH_ONLY: unknown figure "${p}" (use ${FIGURES.join(', ')})`);
  return picked;
}

export const config = {
  quick,
  figures: only(),
  /** Spawns per command for the wall-time figures, alternating with bare node (the issue asks for ≥ 21). */
  startupRuns: int('BENCH_STARTUP_RUNS', quick ? 11 : 21, { min: 3 }),
  /** The same on the other Node majors (the same targets; the issue asks for ≥ 21 there too). */
  otherNodeRuns: int('BENCH_OTHER_NODE_RUNS', quick ? 7 : 21, { min: 3 }),
  /** Node majors also measured for start-up (fetched once from the npm registry into bench/.cache/). */
  otherNodes: (env.BENCH_OTHER_NODES ?? '24')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
  /** Run length of each measured receiver load, seconds. */
  loadSeconds: num('BENCH_LOAD_SECONDS', quick ? 2 : 4),
  /** Run length of each generator calibration load (null server, then the bare verifier), seconds. */
  calibrationSeconds: num('BENCH_CALIBRATION_SECONDS', quick ? 1 : 3),
  /** Warm-up load per server before the measured rounds, seconds (JIT, page cache). */
  warmupSeconds: num('BENCH_WARMUP_SECONDS', quick ? 1 : 2),
  /** Measured rounds per side for the load figures; sides alternate within and between rounds. */
  rounds: int('BENCH_ROUNDS', quick ? 2 : 3),
  connections: int('BENCH_CONNECTIONS', 64),
  /**
   * Distinct pre-signed deliveries per load run. listen recognises a repeat of any delivery its store holds (by id
   * and by signature), so a run that goes round the pool sends duplicates; without --forward-to listen does the same
   * work for one (verify, record, store, answer 200), and the notes count them. Larger pools cost the generator
   * start-up time in every run.
   */
  poolSize: int('BENCH_POOL', 24_000),
  /** listen's RSS is read after this many deliveries, then again after rssLongDeliveries in the same process. */
  rssDeliveries: int('BENCH_RSS_DELIVERIES', 10_000),
  rssLongDeliveries: int('BENCH_RSS_LONG_DELIVERIES', quick ? 30_000 : 100_000),
  /** `events list` is timed on a store file of this size (listen's rotation size: 50 MiB). */
  eventsStoreMiB: int('BENCH_EVENTS_STORE_MIB', 50),
  eventsRuns: int('BENCH_EVENTS_RUNS', quick ? 3 : 5),
  /** The large store the `store` figure generates (and deletes): records and size. */
  storeRecords: int('BENCH_STORE_RECORDS', quick ? 100_000 : 400_000),
  storeMiB: int('BENCH_STORE_MIB', quick ? 256 : 1024),
  storeRuns: int('BENCH_STORE_RUNS', quick ? 1 : 3),
  sendCount: int('BENCH_SEND_COUNT', quick ? 5_000 : 10_000),
  sendRounds: int('BENCH_SEND_ROUNDS', quick ? 1 : 3),
  /** Per-side time slice and rounds of the in-process verify figure. */
  verifySliceMs: int('BENCH_VERIFY_SLICE_MS', 50),
  verifyRounds: int('BENCH_VERIFY_ROUNDS', quick ? 20 : 60),
  /** Hard cap on the whole run: past it the bench kills its children and fails. */
  maxSeconds: int('BENCH_MAX_SECONDS', quick ? 120 : 235),
  /** Write .cpuprofile files of the processes under test (listen, send, the CLI start-up) to this folder. */
  profileDir: env.BENCH_PROFILE_DIR || undefined,
};
