// What domain code needs of the host it runs in, as types only: somewhere to write, the environment, and the
// process's own controls. The CLI's Context (src/cli/context.ts) is built from these; domain folders name these
// and never the Context, so they stay below the CLI layer. Imports nothing, so it can sit under everything.

export interface Writer {
  write(chunk: string): unknown;
}

export type Env = Record<string, string | undefined>;

/** What tunnels and temporary subscriptions need of the running process and its neighbours. */
export interface ProcessControl {
  /** This process: temporary subscriptions record it as their owner. */
  readonly pid: number;
  readonly platform: string;
  /** Node's own executable (the demo's stand-in tunnel runs on it). */
  readonly execPath: string;
  /** Like process.kill: throws ESRCH for no such process, EPERM for someone else's; a negative pid is a group. */
  kill(pid: number, signal: NodeJS.Signals | 0): void;
}
