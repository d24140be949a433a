// listen's flags as the user typed them, and the options `run` works from: every value parsed and checked here,
// before anything starts.
import { UsageError } from '../../cli/errors.js';
import {
  parseCount,
  parseDuration,
  parseEventPattern,
  parseEventPatterns,
  parseHttpUrl,
  parsePort,
  parseRoute,
  parseSize,
  parseTolerance,
} from '../../cli/flags.js';
import { checkUiFlags, parseUiPort } from '../shared/ui-flags.js';
import { subscribeOptions, type RawSubscribeFlags } from './subscribe.js';

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

export interface RawListenFlags {
  port: string;
  host: string;
  path?: string;
  secret?: string[];
  tolerance?: string;
  forwardTo?: string;
  route?: string[];
  forwardTimeout: string;
  store?: string | boolean;
  fsync?: boolean;
  storeMax: string;
  maxBody: string;
  strict?: boolean;
  exitAfter?: string;
  waitFor?: string;
  events?: string;
  timeout?: string;
  readyFile?: string;
  tunnelTimeout: string;
  ui?: boolean;
  uiPort?: string;
  open?: boolean;
  allowRemoteReplay?: boolean;
}

export function toOptions(flags: RawListenFlags & RawSubscribeFlags): ListenOptions {
  if (flags.path !== undefined && !flags.path.startsWith('/')) {
    throw new UsageError(`--path must start with "/", got "${flags.path}"`, { hint: 'e.g. --path /webhooks/pictify' });
  }
  const options: ListenOptions = {
    port: parsePort(flags.port),
    host: flags.host,
    path: flags.path,
    secrets: flags.secret,
    toleranceSeconds: flags.tolerance === undefined ? undefined : parseTolerance(flags.tolerance),
    forwardTo: flags.forwardTo === undefined ? undefined : parseHttpUrl(flags.forwardTo, '--forward-to').href,
    routes: (flags.route ?? []).map((r) => parseRoute(r)),
    forwardTimeoutMs: parseDuration(flags.forwardTimeout, '--forward-timeout'),
    store: flags.store === false ? false : typeof flags.store === 'string' ? flags.store : undefined,
    fsync: flags.fsync ?? false,
    storeMaxBytes: parseSize(flags.storeMax, '--store-max'),
    maxBodyBytes: parseSize(flags.maxBody, '--max-body'),
    strict: flags.strict ?? false,
    exitAfter: flags.exitAfter === undefined ? undefined : parseCount(flags.exitAfter, '--exit-after'),
    waitFor: flags.waitFor === undefined ? undefined : parseEventPattern(flags.waitFor, '--wait-for'),
    events: flags.events === undefined ? undefined : parseEventPatterns(flags.events, '--events'),
    timeoutMs: flags.timeout === undefined ? undefined : parseDuration(flags.timeout, '--timeout'),
    readyFile: flags.readyFile,
    subscribe: subscribeOptions(flags, parseDuration(flags.tunnelTimeout, '--tunnel-timeout')),
  };
  checkUiFlags(flags);
  if (flags.ui) {
    options.ui = {
      port: parseUiPort(flags.uiPort),
      open: Boolean(flags.open),
      allowRemoteReplay: Boolean(flags.allowRemoteReplay),
    };
  }
  if (options.timeoutMs !== undefined && options.exitAfter === undefined && options.waitFor === undefined) {
    throw new UsageError('--timeout needs --exit-after or --wait-for', {
      hint: '--timeout bounds the wait for those conditions; without one, stop listen with Ctrl-C or SIGTERM',
    });
  }
  return options;
}
