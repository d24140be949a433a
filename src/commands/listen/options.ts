// The options `run` works from, from listen's parsed flags: the flags that only mean something together are checked
// here, before anything starts.
import { UsageError } from '../../cli/errors.js';
import { checkUiFlags, DEFAULT_UI_PORT } from '../shared/ui-flags.js';
import type { ListenFlags } from './flags.js';
import { subscribeOptions } from './subscribe.js';

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
  /** --subscribe and its companions (a tunnel, temporary subscriptions); see listen-subscribe.ts. */
  subscribe?: import('./subscribe.js').SubscribeOptions;
  /** `--ui`: the inspector page. */
  ui?: { port: number; open: boolean; allowRemoteReplay: boolean };
}

export function toOptions(flags: ListenFlags): ListenOptions {
  if (flags.path !== undefined && !flags.path.startsWith('/')) {
    throw new UsageError(`--path must start with "/", got "${flags.path}"`, { hint: 'e.g. --path /webhooks/pictify' });
  }
  const options: ListenOptions = {
    port: flags.port,
    host: flags.host,
    path: flags.path,
    secrets: flags.secrets.length > 0 ? flags.secrets : undefined,
    toleranceSeconds: flags.toleranceSeconds,
    forwardTo: flags.forwardTo,
    routes: flags.routes,
    forwardTimeoutMs: flags.forwardTimeoutMs,
    store: flags.noStore ? false : flags.store,
    fsync: flags.fsync,
    storeMaxBytes: flags.storeMaxBytes,
    maxBodyBytes: flags.maxBodyBytes,
    strict: flags.strict,
    exitAfter: flags.exitAfter,
    waitFor: flags.waitFor,
    events: flags.events,
    timeoutMs: flags.timeoutMs,
    readyFile: flags.readyFile,
    subscribe: subscribeOptions(flags),
  };
  checkUiFlags(flags);
  if (flags.ui) {
    options.ui = {
      port: flags.uiPort ?? DEFAULT_UI_PORT,
      open: flags.open,
      allowRemoteReplay: flags.allowRemoteReplay,
    };
  }
  if (options.timeoutMs !== undefined && options.exitAfter === undefined && options.waitFor === undefined) {
    throw new UsageError('--timeout needs --exit-after or --wait-for', {
      hint: '--timeout bounds the wait for those conditions; without one, stop listen with Ctrl-C or SIGTERM',
    });
  }
  return options;
}
