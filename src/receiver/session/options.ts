// What a listen runs with: listen's command builds this from its flags (src/commands/listen/options.ts).
import type { EventName } from '../../events/names.js';
import type { TunnelChoice } from '../tunnel/session.js';

export interface ListenOptions {
  port: number;
  host: string;
  path?: string;
  secrets?: string[];
  toleranceSeconds?: number;
  forwardTo?: string;
  routes: Array<{ pattern: string; url: string }>;
  forwardTimeoutMs: number;
  /** A file, or false for --no-store; undefined means `<config dir>/events.jsonl`. */
  store?: string | false;
  /** --fsync: each group commit is fsynced before its deliveries are answered. */
  fsync?: boolean;
  storeMaxBytes: number;
  maxBodyBytes: number;
  strict: boolean;
  exitAfter?: number;
  /** An event name or glob. */
  waitFor?: string;
  /** --events: the names or globs accepted; undefined accepts every event. */
  events?: string[];
  timeoutMs?: number;
  readyFile?: string;
  /** --subscribe and its companions (a tunnel, temporary subscriptions). */
  subscribe?: SubscribeOptions;
  /** `--ui`: the inspector page. */
  ui?: { port: number; open: boolean; allowRemoteReplay: boolean };
}

export interface SubscribeOptions {
  events: EventName[];
  tunnel: TunnelChoice;
  tunnelTimeoutMs: number;
  keep: boolean;
  printSecret: boolean;
  writeEnv?: string;
}
