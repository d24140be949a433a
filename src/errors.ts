// Domain errors: they carry data (status, code, path, reason), not advice and not exit codes. The CLI alone
// (src/cli/exit-codes.ts) turns them into an exit code and a hint that names a flag or a command.
//
// The CLI's own errors live in src/cli/errors.ts; they are re-exported here only for the modules that still
// import them from this file.
export {
  AuthError,
  CliError,
  ExitCode,
  FailureError,
  InterruptedError,
  NotFoundError,
  SilentError,
  UsageError,
  type ExitCodeValue,
} from './cli/errors.js';

/** Base of the domain errors. `hint` is transitional: modules that still phrase advice put it there. */
export class DomainError extends Error {
  readonly hint?: string;
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
  }
}

/** The config file cannot be read or written. Never resolved by resetting the file. */
export class ConfigError extends DomainError {
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

/** The API answered with an error status, or could not be reached (no status; `code` says how). */
export class ApiError extends DomainError {
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

export type VerificationReason =
  | 'missing_header'
  | 'malformed_header'
  | 'missing_timestamp'
  | 'timestamp_too_old'
  | 'timestamp_in_future'
  | 'no_signatures'
  | 'signature_mismatch'
  | 'invalid_payload';

/** A webhook signature (or payload) did not verify. Part of the public library. */
export class VerificationError extends DomainError {
  readonly reason: VerificationReason;
  constructor(reason: VerificationReason, message: string, options: { hint?: string } = {}) {
    super(message, options);
    this.reason = reason;
  }
}
