// The built-in emulator, in-process and fresh for every test (useEmulator), and with a reference receiver behind it
// for the command tests that drive deliveries through it (useEmulatorBench: trigger, deliveries).
import { afterEach, beforeEach } from 'vitest';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/index.js';
import { call, startReceiver } from '../unit/emulator/support.js';
import type { ReferenceReceiver } from './reference-receiver.js';

/** The test's emulator; read it inside tests (it is replaced before every test). */
export interface EmulatorHandle {
  readonly url: string;
  /** Stops it early (an API that went away); after the test it is stopped anyway. */
  close(): Promise<void>;
}

export function useEmulator(options: EmulatorOptions = {}): EmulatorHandle {
  let emulator: RunningEmulator | undefined;
  beforeEach(async () => {
    emulator = await startEmulator(options);
  });
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });
  return {
    get url() {
      return emulator!.url;
    },
    close: () => emulator!.close(),
  };
}

export interface EmulatorBench {
  emu: EmulatorHandle;
  rx: ReferenceReceiver;
  /** What a command needs to reach the emulator with a key. */
  env: Record<string, string>;
  /** Creates a subscription to `event` that delivers to the receiver; returns its uid and secret. */
  subscribe(event: string, filters?: Record<string, string>): Promise<{ uid: string; secret: string }>;
}

/** An emulator with fast retries and a receiver; `rx` and `env` are replaced before every test. */
export function useEmulatorBench(): EmulatorBench {
  const bench = {
    emu: useEmulator({ retryScale: 0.00001 }),
    async subscribe(event: string, filters?: Record<string, string>) {
      const body = { event, targetUrl: bench.rx.url, ...(filters && { filters }) };
      return (await call(bench.emu.url, 'POST', '/webhook-subscriptions', { body })).json.subscription;
    },
  } as EmulatorBench;
  beforeEach(async () => {
    bench.rx = await startReceiver();
    bench.env = { PICTIFY_BASE_URL: bench.emu.url, PICTIFY_API_KEY: 'pk_test_cmd', NO_COLOR: '1' };
  });
  afterEach(() => bench.rx.close());
  return bench;
}
