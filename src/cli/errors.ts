// Errors only the CLI throws: what went wrong for the person at the terminal, with the one thing to do next.
// Domain errors (ApiError, ConfigError, the library's verification error) carry data instead; exit-codes.ts turns
// both into an exit code and a hint.

export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  auth: 4,
  interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export class CliError extends Error {
  readonly exitCode: number = ExitCode.failure;
  readonly hint?: string;
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
  }
}

/** Bad flag, bad value, missing argument: exit 2. */
export class UsageError extends CliError {
  override readonly exitCode: number = ExitCode.usage;
}

/** No API key, or the API rejected it (401/403): exit 4. */
export class AuthError extends CliError {
  override readonly exitCode: number = ExitCode.auth;
  /** `missing_key`, `malformed_key` (never sent), or `rejected` (the API said 401/403). */
  readonly code?: string;
  readonly status?: number;
  constructor(message: string, options: { hint?: string; cause?: unknown; code?: string; status?: number } = {}) {
    super(message, options);
    this.code = options.code;
    this.status = options.status;
  }
}

/** The operation ran and failed (unexpected status, failed check, declined confirmation): exit 1. */
export class FailureError extends CliError {}

/** A local item (stored secret, stored event, config value) that is not there: exit 1, like an API 404. */
export class NotFoundError extends CliError {}

/** Ctrl-C while working: exit 130. */
export class InterruptedError extends CliError {
  override readonly exitCode: number = ExitCode.interrupted;
  constructor(message = 'interrupted') {
    super(message);
  }
}

/** The command has already said what went wrong (a report, a verdict): exit with the code, print nothing more. */
export class SilentError extends CliError {
  override readonly exitCode: number;
  constructor(exitCode: ExitCodeValue = ExitCode.failure) {
    super('');
    this.exitCode = exitCode;
  }
}
