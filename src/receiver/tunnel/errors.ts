// What can go wrong with a tunnel, as data: listen's command (commands/listen/errors.ts) turns each reason into
// wording, a hint and an exit code.

export type TunnelFailure =
  /** The executable is not on PATH (or a --tunnel-command's shell could not find its program). */
  | 'missing_binary'
  /** Running, but no public URL within --tunnel-timeout. */
  | 'not_ready'
  /** Exited before it reported a public URL. */
  | 'exited_early'
  /** Was up, then exited while listen was running. */
  | 'died'
  /** Up, but the signed self-test delivery did not come back through it. */
  | 'self_test_failed';

export class TunnelError extends Error {
  readonly reason: TunnelFailure;
  readonly provider: string;
  /** The executable, for missing_binary. */
  readonly binary?: string;
  readonly logFile?: string;
  /** The tunnel's last output lines, oldest first (untrusted text: sanitise before printing). */
  readonly lastLines: readonly string[];
  readonly exitCode?: number | null;
  readonly signal?: string | null;
  readonly timeoutMs?: number;
  constructor(
    reason: TunnelFailure,
    message: string,
    data: {
      provider: string;
      binary?: string;
      logFile?: string;
      lastLines?: readonly string[];
      exitCode?: number | null;
      signal?: string | null;
      timeoutMs?: number;
      cause?: unknown;
    },
  ) {
    super(message, data.cause === undefined ? undefined : { cause: data.cause });
    this.name = 'TunnelError';
    this.reason = reason;
    this.provider = data.provider;
    this.binary = data.binary;
    this.logFile = data.logFile;
    this.lastLines = data.lastLines ?? [];
    this.exitCode = data.exitCode;
    this.signal = data.signal;
    this.timeoutMs = data.timeoutMs;
  }
}
