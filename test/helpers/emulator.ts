// An in-process emulator with fast retries and a reference receiver behind it, fresh for every test: the set-up of
// the command tests that drive deliveries through the emulator (trigger, deliveries).
import { afterEach, beforeEach } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { call, startReceiver } from '../unit/emulator/support.js';
import type { ReferenceReceiver } from './reference-receiver.js';

export interface EmulatorBench {
  emu: RunningEmulator;
  rx: ReferenceReceiver;
  /** What a command needs to reach the emulator with a key. */
  env: Record<string, string>;
  /** Creates a subscription to `event` that delivers to the receiver; returns its uid and secret. */
  subscribe(event: string, filters?: Record<string, string>): Promise<{ uid: string; secret: string }>;
}

/** The fields are replaced before every test; read them inside tests, not at module level. */
export function useEmulatorBench(): EmulatorBench {
  const bench = {
    async subscribe(event: string, filters?: Record<string, string>) {
      const body = { event, targetUrl: bench.rx.url, ...(filters && { filters }) };
      return (await call(bench.emu.url, 'POST', '/webhook-subscriptions', { body })).json.subscription;
    },
  } as EmulatorBench;
  beforeEach(async () => {
    bench.emu = await startEmulator({ retryScale: 0.00001 });
    bench.rx = await startReceiver();
    bench.env = { PICTIFY_BASE_URL: bench.emu.url, PICTIFY_API_KEY: 'pk_test_cmd', NO_COLOR: '1' };
  });
  afterEach(async () => {
    await bench.emu.close();
    await bench.rx.close();
  });
  return bench;
}
