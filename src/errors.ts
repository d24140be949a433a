// Domain errors: they carry data (status, code, path, operation), not advice and not exit codes. The CLI alone
// (src/cli/exit-codes.ts, src/cli/api-hints.ts) turns them into an exit code and a hint that names a flag or a
// command.
//
// The CLI's own errors (usage, failure, exit codes) live in src/cli/errors.ts.

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
export class ApiError extends DomainError {
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
