// Typed errors. Commands throw these; src/cli.ts alone turns them into exit codes and one-line messages.
// Every error carries a hint: the one thing the user should do next.

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
}

/** The config file cannot be read or written. Never resolved by resetting the file. */
export class ConfigError extends CliError {
  readonly path?: string;
  constructor(message: string, options: { hint?: string; cause?: unknown; path?: string } = {}) {
    super(message, options);
    this.path = options.path;
  }
}

export interface FieldError {
  field?: string;
  message: string;
  code?: string;
}

/** The API answered with an error status, or could not be reached. */
export class ApiError extends CliError {
  readonly status?: number;
  readonly code?: string;
  readonly fieldErrors: FieldError[];
  readonly body?: unknown;
  constructor(
    message: string,
    options: {
      hint?: string;
      cause?: unknown;
      status?: number;
      code?: string;
      fieldErrors?: FieldError[];
      body?: unknown;
    } = {},
  ) {
    super(message, options);
    this.status = options.status;
    this.code = options.code;
    this.fieldErrors = options.fieldErrors ?? [];
    this.body = options.body;
  }
}

/** The operation ran but its outcome is a failure (unexpected status, failed check): exit 1, message already shown. */
export class FailureError extends CliError {}

/** SIGINT while working: exit 130. */
export class InterruptedError extends CliError {
  override readonly exitCode: number = ExitCode.interrupted;
  constructor(message = 'interrupted') {
    super(message);
  }
}
