// What the listen engine needs of the program running it. listen's command builds this from its Context and passes it
// in: the engine never sees the CLI, so it stays below it (dependency-cruiser's domain-not-to-cli rule), and every
// piece of the outside world it touches — streams, clock, signals, API, config, secrets — is named here.
import type { Env, ProcessControl, Writer } from '../../host.js';
import type { Style } from '../../output/style.js';
import type { SourcedSecret } from '../../signing/secret-source.js';
import type { ConfigStore } from '../../store/config.js';
import type { SubscriptionCalls } from '../tunnel/temporary.js';
import type { StopHost } from './stop.js';

export interface ListenHost extends StopHost {
  /** Where the per-delivery lines go. */
  stdout: Writer;
  /** --json: NDJSON lines on stdout. */
  json: boolean;
  /** stdout's colours and stderr's, each stream on its own (stdout may be a pipe while stderr is a terminal). */
  style: Style;
  errStyle: Style;
  /** Milliseconds since the epoch. */
  now(): number;
  env: Env;
  proc: ProcessControl;
  /** The config folder: the default event store and the tunnel logs live there. */
  configDir(): string;
  /** The profile whose secrets listen verifies with, and where --subscribe records its temporary ones. */
  profile(): string;
  api(): Promise<SubscriptionCalls>;
  config(): Promise<ConfigStore>;
  /** The API base URL in use: secrets are recorded with it, and only its secrets verify. */
  currentApi(): Promise<string>;
  secrets: SecretSources;
  /** Deletes what a listen --subscribe killed with -9 left behind (every listen does this first). */
  sweepLeftovers(): Promise<void>;
  /** --ready-file: written whole once listening, removed on exit. */
  readyFile: { write(file: string, url: string): Promise<void>; remove(file: string): Promise<void> };
  /** --open: the inspector page in the user's browser. */
  openInBrowser(url: string): Promise<void>;
  /** The warning for a plain-http url that leaves this machine (--public-url). */
  warnIfPlainHttp(url: URL): void;
}

/** Where secrets come from, and how the user is told about them. */
export interface SecretSources {
  /** --secret, else PICTIFY_WEBHOOK_SECRET, else the profile's; an error saying what to do when there is none. */
  verifying(flagSecrets: string[] | undefined): Promise<SourcedSecret[]>;
  /** The profile's stored secrets of the current API, read afresh on each call. */
  stored(): Promise<SourcedSecret[]>;
  /** The profile's stored secrets split by API: the current API's (and those recorded without one), the others. */
  byApi(): Promise<{ api: string; current: SourcedSecret[]; otherApis: SourcedSecret[] }>;
  /** The current API's stored secrets that `tried` (--secret, PICTIFY_WEBHOOK_SECRET) replaced. */
  untried(tried: SourcedSecret[]): Promise<SourcedSecret[]>;
  /** Every secret on file plus the env var's: the page's diagnosis names the one a signature belongs to. */
  known(): Promise<SourcedSecret[]>;
  /** Warnings for secrets that will most likely never match. */
  warnings(secrets: readonly SourcedSecret[]): string[];
  /** The Ready line's account of the secrets in use, never the secrets themselves. */
  summary(secrets: readonly SourcedSecret[]): string;
}
