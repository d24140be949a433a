// send's load mode: n signed deliveries over one keep-alive undici Pool, c at a time. Every delivery gets its own
// delivery id and signature; everything else (bodies split around the id, header arrays) is prepared once, and
// the per-request path is a string concat, one HMAC, a header-array copy and a dispatch on a reused handler.
import { createHmac, createSecretKey, randomBytes } from 'node:crypto';
import type { Dispatcher, Pool } from 'undici';
import type { ExpectedStatus } from './options.js';
import { describeNetworkError, loadUndici, type NetworkFailure } from './post.js';
import { latencyStats, type LatencyStats } from './latency-stats.js';

/** One body shape to send: `head + deliveryId + tail`, or fixed bytes (verbatim --payload, pinned id). */
export interface LoadBody {
  event?: string;
  head?: string;
  tail?: string;
  bytes?: Buffer;
}

export interface LoadInput {
  url: URL;
  /** Sent round-robin (send --all --count n). */
  bodies: LoadBody[];
  secret: string;
  /** Fixed signature timestamp (unix s); default: the clock at each delivery. */
  timestamp?: number;
  nowMs: () => number;
  /** Pinned X-Pictify-Delivery-Id (duplicate-delivery tests); default: a fresh one per delivery. */
  deliveryId?: string;
  /** Lower-case names; override ours. */
  extraHeaders?: Record<string, string>;
  count: number;
  concurrency: number;
  timeoutMs: number;
  expect: ExpectedStatus;
  /** Aborting stops issuing new deliveries; those in flight finish. */
  signal?: AbortSignal;
  /** Updated as deliveries complete, for a progress display. */
  progress?: { completed: number };
}

export interface LoadResult {
  requested: number;
  /** Deliveries that got an answer or failed on the network (every one is counted once). */
  sent: number;
  /** Answers that met --expect. */
  ok: number;
  failed: number;
  statuses: Record<string, number>;
  errors: Partial<Record<NetworkFailure, number>>;
  /** One example message per error kind. */
  errorMessages: Partial<Record<NetworkFailure, string>>;
  durationMs: number;
  perSecond: number;
  /** Over answered deliveries only: a refused connection has no meaningful latency. */
  latencyMs: LatencyStats;
  interrupted: boolean;
}

const ID_BYTES = 12;
const ID_BATCH = 2048;

/** del_<24 hex>, drawn from a batch of random bytes: one syscall per 2048 ids instead of one per id. */
class DeliveryIds {
  #hex = '';
  #next = ID_BATCH;
  take(): string {
    if (this.#next === ID_BATCH) {
      this.#hex = randomBytes(ID_BYTES * ID_BATCH).toString('hex');
      this.#next = 0;
    }
    const start = this.#next++ * ID_BYTES * 2;
    return `del_${this.#hex.slice(start, start + ID_BYTES * 2)}`;
  }
}

/** Pre-built pieces per body: the header array with slots for the signature and the delivery id. */
interface Prepared {
  head?: string;
  tail?: string;
  bytes?: Buffer;
  headers: string[];
  sigSlot: number;
  idSlot: number;
  /** Constant bodies sign the same for the same t. */
  cachedT: number;
  cachedSig: string;
}

function prepare(body: LoadBody, input: LoadInput): Prepared {
  const named: Record<string, string> = { 'content-type': 'application/json', 'x-pictify-signature': '' };
  if (body.event) named['x-pictify-event'] = body.event;
  named['x-pictify-delivery-id'] = input.deliveryId ?? '';
  const overridden = new Set<string>();
  for (const [k, v] of Object.entries(input.extraHeaders ?? {})) {
    named[k.toLowerCase()] = v;
    overridden.add(k.toLowerCase());
  }
  const headers: string[] = [];
  for (const [k, v] of Object.entries(named)) headers.push(k, v);
  const slot = (name: string) => (overridden.has(name) ? -1 : headers.indexOf(name) + 1);
  return {
    head: body.head,
    tail: body.tail,
    bytes: body.bytes,
    headers,
    sigSlot: slot('x-pictify-signature'),
    idSlot: input.deliveryId === undefined ? slot('x-pictify-delivery-id') : -1,
    cachedT: -1,
    cachedSig: '',
  };
}

/**
 * One of the c concurrent slots, reused for every delivery it carries: undici's raw handler interface, so no
 * response stream, header parsing or promise is made per delivery (the body is read and dropped).
 */
class Lane implements Dispatcher.DispatchHandler {
  status = 0;
  started = 0;
  readonly #settle: (lane: Lane, error: unknown) => void;
  /** Made once per lane, so queueing the next delivery allocates nothing. */
  readonly next: () => void;
  constructor(settle: (lane: Lane, error: unknown) => void, launch: (lane: Lane) => void) {
    this.#settle = settle;
    this.next = () => launch(this);
  }
  onConnect(): void {}
  onHeaders(statusCode: number): boolean {
    this.status = statusCode;
    return true;
  }
  onData(): boolean {
    return true;
  }
  onComplete(): void {
    this.#settle(this, undefined);
  }
  onError(error: Error): void {
    this.#settle(this, error);
  }
}

/** Signs each delivery as it is issued: a fresh id and HMAC per body, the rest copied from the prepared pieces. */
function createRequestFactory(input: LoadInput): (issued: number) => Dispatcher.DispatchOptions {
  const prepared = input.bodies.map((b) => prepare(b, input));
  const ids = new DeliveryIds();
  const origin = input.url.origin;
  const path = `${input.url.pathname}${input.url.search}`;
  const key = createSecretKey(Buffer.from(input.secret, 'utf8'));
  const sign = (t: number, body: string | Buffer) =>
    createHmac('sha256', key).update(`${t}.`).update(body).digest('hex');
  return (issued) => {
    const p = prepared[issued % prepared.length];
    const t = input.timestamp ?? Math.floor(input.nowMs() / 1000);
    const id = p.idSlot >= 0 ? ids.take() : (input.deliveryId ?? '');
    const headers = p.headers.slice();
    let body: string | Buffer;
    let signature: string;
    if (p.bytes !== undefined || p.tail === undefined) {
      body = p.bytes ?? (p.head as string);
      if (p.cachedT !== t) {
        p.cachedSig = sign(t, body);
        p.cachedT = t;
      }
      signature = p.cachedSig;
    } else {
      body = p.head + id + p.tail;
      signature = sign(t, body);
    }
    if (p.sigSlot >= 0) headers[p.sigSlot] = `t=${t},v1=${signature}`;
    if (p.idSlot >= 0) headers[p.idSlot] = id;
    return { origin, path, method: 'POST', headers, body };
  };
}

/** What came back: per-status counts, per-kind network errors, latencies of answered deliveries. */
class Tally {
  readonly latencies: Float64Array;
  readonly statuses = new Map<number, number>();
  readonly errors: Partial<Record<NetworkFailure, number>> = {};
  readonly errorMessages: Partial<Record<NetworkFailure, string>> = {};
  answered = 0;
  ok = 0;
  completed = 0;
  constructor(
    count: number,
    private readonly input: LoadInput,
  ) {
    this.latencies = new Float64Array(count);
  }

  add(lane: Lane, error: unknown): void {
    if (error === undefined) {
      this.latencies[this.answered++] = performance.now() - lane.started;
      this.statuses.set(lane.status, (this.statuses.get(lane.status) ?? 0) + 1);
      if (this.input.expect.matches(lane.status)) this.ok++;
    } else {
      const { kind, message } = describeNetworkError(error, this.input.url, this.input.timeoutMs);
      this.errors[kind] = (this.errors[kind] ?? 0) + 1;
      this.errorMessages[kind] ??= message;
    }
    this.completed++;
  }

  result(durationMs: number): LoadResult {
    const { count, signal } = this.input;
    const sent = this.completed;
    const statuses = [...this.statuses].sort((a, b) => a[0] - b[0]).map(([code, n]) => [String(code), n]);
    return {
      requested: count,
      sent,
      ok: this.ok,
      failed: sent - this.ok,
      statuses: Object.fromEntries(statuses),
      errors: this.errors,
      errorMessages: this.errorMessages,
      durationMs,
      perSecond: durationMs > 0 ? (sent * 1000) / durationMs : 0,
      latencyMs: latencyStats(this.latencies, this.answered),
      interrupted: signal?.aborted === true && sent < count,
    };
  }
}

async function createPool(input: LoadInput): Promise<Pool> {
  const { Pool } = await loadUndici();
  return new Pool(input.url.origin, {
    connections: input.concurrency,
    pipelining: 1,
    keepAliveTimeout: 10_000,
    connectTimeout: Math.min(input.timeoutMs, 10_000),
    headersTimeout: input.timeoutMs,
    bodyTimeout: input.timeoutMs,
  });
}

/** c lanes, each issuing its next delivery when the previous one settles, until n are issued or it is aborted. */
export async function runLoad(input: LoadInput): Promise<LoadResult> {
  const pool = await createPool(input);
  const nextRequest = createRequestFactory(input);
  const tally = new Tally(input.count, input);
  const progress = input.progress ?? { completed: 0 };
  let issued = 0;
  let inFlight = 0;
  let closed = false;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));

  const launch = (lane: Lane): void => {
    if (issued >= input.count || input.signal?.aborted) {
      if (inFlight === 0) finish();
      return;
    }
    const request = nextRequest(issued);
    issued++;
    inFlight++;
    lane.status = 0;
    lane.started = performance.now();
    pool.dispatch(request, lane);
  };
  const settle = (lane: Lane, error: unknown): void => {
    // Deliveries cut off by an interrupt are neither answered nor failed: they are not counted.
    if (closed) return;
    inFlight--;
    tally.add(lane, error);
    progress.completed = tally.completed;
    // Next delivery on the same lane, outside undici's callback stack.
    queueMicrotask(lane.next);
  };

  // An interrupt must not wait for slow receivers (up to the timeout): stop at once.
  const onAbort = () => finish();
  input.signal?.addEventListener('abort', onAbort, { once: true });
  const started = performance.now();
  try {
    const lanes = Math.min(input.concurrency, input.count);
    if (lanes === 0 || input.signal?.aborted) finish();
    else for (let i = 0; i < lanes; i++) launch(new Lane(settle, launch));
    await finished;
    return tally.result(performance.now() - started);
  } finally {
    closed = true;
    input.signal?.removeEventListener('abort', onAbort);
    await pool.destroy();
  }
}
