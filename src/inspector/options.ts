// What the inspector is started with and what a running one offers: types only, shared by the server and its API.
import type { SourcedSecret } from '../signing/secret-source.js';
import type { EventRecord } from '../store/event-store-record.js';
import type { DeliveryIndex } from './delivery-index.js';

export interface InspectorOptions {
  /** 0 picks a free port. */
  port: number;
  index: DeliveryIndex;
  /** `listen` (live, can replay) or `inspect` (a store on disk, read-only). */
  mode: 'listen' | 'inspect';
  /** Where replays are stored; null keeps them in memory only (listen --no-store). */
  append?: ((record: EventRecord) => Promise<void>) | null;
  storePath: string | null;
  /** The secrets deliveries are verified with (labels only ever leave this process). */
  secrets(): Promise<readonly SourcedSecret[]>;
  /** Every secret on file, for diagnose's "signed with another subscription's secret". */
  knownSecrets(): Promise<readonly SourcedSecret[]>;
  forwardTarget?(event: string | null): string | undefined;
  allowRemoteReplay?: boolean;
  toleranceSeconds?: number;
  replayTimeoutMs?: number;
  now?: () => number;
  /** Tests pin it; otherwise 32 random bytes per run. */
  token?: string;
}

export interface RunningInspector {
  /** The link to open: http://127.0.0.1:<port>/?token=… */
  url: string;
  origin: string;
  port: number;
  token: string;
  /** A new delivery (listen's, or one the tail read): indexed and pushed to every open page. */
  publish(record: EventRecord): void;
  close(): Promise<void>;
}
