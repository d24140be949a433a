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
  /** `missing_key`, `malformed_key` (never sent), or `rejected` (the API said 401/403). */
  readonly code?: string;
  readonly status?: number;
  constructor(message: string, options: { hint?: string; cause?: unknown; code?: string; status?: number } = {}) {
    super(message, options);
    this.code = options.code;
    this.status = options.status;
  }
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

/** What an API call was doing, so the CLI can word its advice (`list --event … --url …`, `update <uid>`). */
export interface ApiOperation {
  name: 'list' | 'get' | 'create' | 'update' | 'delete' | 'pause' | 'resume';
  uid?: string;
  event?: string;
  targetUrl?: string;
}

export interface ApiErrorData {
  status?: number;
  /** Machine-readable reason: the API's own code, or ours (`redirect_cross_origin`, `timeout`, `invalid_response`…). */
  code?: string;
  fieldErrors?: FieldError[];
  body?: unknown;
  attempts?: number;
  /** How long the server asked to wait (Retry-After, the body, X-RateLimit-Reset), uncapped. */
  retryAfterMs?: number;
  /** A redirect's resolved Location, when the error is a redirect that was not followed. */
  location?: string;
  /** The request may have been carried out although it failed (a 500, a timeout, a 201 with a broken body). */
  outcomeUnknown?: boolean;
  operation?: ApiOperation;
  /** How the transport failed (refused, dns, reset, timeout, unreachable…) when no answer came back. */
  network?: string;
}

/** The API answered with an error status, or could not be reached. Carries data; the CLI adds the advice. */
export class ApiError extends CliError {
  readonly status?: number;
  readonly code?: string;
  readonly fieldErrors: FieldError[];
  readonly body?: unknown;
  readonly attempts?: number;
  readonly retryAfterMs?: number;
  readonly location?: string;
  readonly outcomeUnknown: boolean;
  readonly operation?: ApiOperation;
  readonly network?: string;
  constructor(message: string, options: ApiErrorData & { hint?: string; cause?: unknown } = {}) {
    super(message, options);
    this.status = options.status;
    this.code = options.code;
    this.fieldErrors = options.fieldErrors ?? [];
    this.body = options.body;
    this.attempts = options.attempts;
    this.retryAfterMs = options.retryAfterMs;
    this.location = options.location;
    this.outcomeUnknown = options.outcomeUnknown === true;
    this.operation = options.operation;
    this.network = options.network;
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
