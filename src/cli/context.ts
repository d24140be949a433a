// The Context is everything a command may touch of the outside world, as types only: commands and tests depend on
// this, never on process. The Node implementation is node-context.ts (the only reader of `process` besides bin/);
// tests build a Context with buffers, a temp config dir and a fixed clock.
// It imports only src/host.ts (types that import nothing), so nothing it names can pull it into an import cycle:
// the config store and the API client it hands out are registered in ContextServices by
// src/cli/context-services.ts.
import type { Env, ProcessControl, Writer } from '../host.js';

export type { Env, ProcessControl, Writer };

export interface IO {
  stdout: Writer;
  stderr: Writer;
  stdin: NodeJS.ReadableStream | null;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  stdinIsTTY: boolean;
}

/** Global flags, filled in by src/cli.ts before a command's action runs. */
export interface GlobalOptions {
  profile?: string;
  apiKey?: string;
  baseUrl?: string;
  json?: boolean;
  color?: boolean;
  maxRetryWait?: string;
  apiTimeout?: string;
}

export type SignalName = 'SIGINT' | 'SIGTERM';

/**
 * What `config()` and `api()` resolve to. Empty here on purpose: context-services.ts adds `config` (the
 * ConfigStore) and `api` (the ApiClient) by declaration merging, so the store and the client stay out of this
 * module's imports while commands still get their full types.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ContextServices {}

type Service<K extends string> = K extends keyof ContextServices ? ContextServices[K] : never;

export interface Context {
  io: IO;
  env: Env;
  /** Milliseconds since the epoch. Fixed in tests. */
  now(): number;
  version: string;
  globals: GlobalOptions;
  /** Whether stdout may carry colour (TTY, no NO_COLOR, no --no-color, TERM not dumb). */
  readonly color: boolean;
  /** Whether stderr may carry colour and spinners. */
  readonly stderrColor: boolean;
  fetchImpl: typeof fetch;
  proc: ProcessControl;
  /** The folder of the config file and the event store (PICTIFY_HOOKS_CONFIG_DIR, else the platform's). */
  configDir(): string;
  config(): Promise<Service<'config'>>;
  api(): Promise<Service<'api'>>;
  /** Subscribe to SIGINT/SIGTERM; returns an unsubscribe function. */
  onSignal(signal: SignalName, handler: () => void): () => void;
  /** Reads all of stdin (for `--payload -`, `--api-key-stdin`). */
  readStdin(): Promise<Buffer>;
  /** Asks for a line on the TTY without echoing it (login). */
  promptHidden(question: string): Promise<string>;
  /** Asks a yes/no question on the TTY. */
  confirm(question: string): Promise<boolean>;
  /** stdout line */
  out(text: string): void;
  /** stderr line */
  err(text: string): void;
}

export interface ContextInit {
  io?: Partial<IO>;
  env?: Env;
  now?: () => number;
  fetchImpl?: typeof fetch;
  proc?: ProcessControl;
  onSignal?: Context['onSignal'];
  promptHidden?: Context['promptHidden'];
  confirm?: Context['confirm'];
}
