// The local Pictify API, started in-process by `emulator`, `demo` and the tests.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildTriggeredEvent } from './control-routes.js';
import { DELIVERY_TIMEOUT_MS, DeliveryEngine, type StartedDelivery } from './delivery.js';
import { createRequestHandler } from './server.js';
import { EmulatorStore } from './store.js';

export { DELIVERY_TIMEOUT_MS, MAX_ATTEMPTS, RETRY_DELAYS_MS, type StartedDelivery } from './delivery.js';
export { EmulatorStore } from './store.js';
export { ProblemError } from './problem.js';
export { StateFileError, STATE_FILE } from './state-file.js';
export type * from './types.js';

export interface EmulatorOptions {
  /** 0 picks a free port. Default 0 (the CLI defaults to 4010). */
  port?: number;
  host?: string;
  /** Keep state in `<dataDir>/emulator-state.json`; in memory when omitted. */
  dataDir?: string;
  /** Pin the one API key accepted; any Bearer key is accepted otherwise. */
  apiKey?: string;
  /** Multiplies the retry delays (1 min … 24 h); 0.001 turns a minute into 60 ms. Default 1. */
  retryScale?: number;
  /** Per-attempt delivery timeout. Default 30 s, as Pictify documents. */
  deliveryTimeoutMs?: number;
  /** Longest wait of POST /_emulator/events for first attempts before it answers. Default 10 s. */
  triggerWaitMs?: number;
  /** Clock in epoch ms (timestamps, signatures, retry due times). Default Date.now. */
  now?: () => number;
  /** Request and delivery log lines; silent when omitted. */
  log?: (line: string) => void;
  /** Also deliver to targets outside 127.0.0.0/8, ::1 and localhost. Default false. */
  allowRemote?: boolean;
}

export interface RunningEmulator {
  /** e.g. http://127.0.0.1:4010 — what PICTIFY_BASE_URL should be. */
  url: string;
  port: number;
  host: string;
  store: EmulatorStore;
  /**
   * Same as POST /_emulator/events: raises `event` (sample + `data` + `set` paths) for every matching active
   * subscription and resolves once the first attempts finished or `waitMs` (default: triggerWaitMs) passed.
   * Throws ProblemError (status 400) on bad input.
   */
  trigger(
    input: { event: string; data?: Record<string, unknown>; set?: string[] | Record<string, unknown> },
    waitMs?: number,
  ): Promise<StartedDelivery[]>;
  /** Stops listening, cancels retry timers and in-flight attempts, and finishes pending writes. */
  close(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const retryScale = options.retryScale ?? 1;
  if (!(retryScale > 0) || !Number.isFinite(retryScale))
    throw new RangeError(`retryScale must be a positive number, got ${retryScale}`);
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => {});
  const host = options.host ?? '127.0.0.1';
  const store = await EmulatorStore.open(options.dataDir);
  const engine = new DeliveryEngine({
    store,
    retryScale,
    timeoutMs: options.deliveryTimeoutMs ?? DELIVERY_TIMEOUT_MS,
    now,
    log,
    allowRemote: options.allowRemote,
  });
  const triggerWaitMs = options.triggerWaitMs ?? 10_000;
  const server = createServer(createRequestHandler({ store, engine, now, log, apiKey: options.apiKey, triggerWaitMs }));
  server.keepAliveTimeout = 5_000;

  await listen(server, options.port ?? 0, host);
  engine.resumePending();
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    host,
    store,
    async trigger(input, waitMs = triggerWaitMs) {
      const { event, envelope } = buildTriggeredEvent(input, now());
      return engine.trigger(event, envelope, waitMs);
    },
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await engine.close();
        await stopped;
        await store.flush();
      })();
      return closing;
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}
