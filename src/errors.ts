// Domain errors: they carry data (status, code, path, operation), not advice and not exit codes. The CLI alone
// (src/cli/exit-codes.ts, src/cli/domain-hints.ts) turns them into an exit code and a hint that names a flag or a
// command.
//
// The CLI's own errors (usage, failure, exit codes) live in src/cli/errors.ts.

/** Base of the domain errors. */
export class DomainError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
  }
}

export type ConfigErrorCode =
  /** Another process holds the lock (`lockPath`) and has for longer than we wait. */
  | 'locked'
  /** The file or its folder could not be written. */
  | 'write_failed'
  /** The file is there but is not valid JSON of our shape. */
  | 'invalid'
  /** The file cannot be read (a permission). */
  | 'unreadable'
  /** The file is not a regular one (a link, a FIFO, a device, a folder): refused, never followed. */
  | 'not_regular'
  /** The folder, or the file, can be changed by another user (as ssh judges it). */
  | 'untrusted_folder'
  | 'untrusted_file';

/** The config file cannot be read or written. Never resolved by resetting the file. */
export class ConfigError extends DomainError {
  readonly code: ConfigErrorCode;
  readonly path?: string;
  /** The lock folder, for `locked`. */
  readonly lockPath?: string;
  constructor(message: string, options: { code: ConfigErrorCode; cause?: unknown; path?: string; lockPath?: string }) {
    super(message, options);
    this.code = options.code;
    this.path = options.path;
    this.lockPath = options.lockPath;
  }
}

export type InputErrorCode =
  /** The API base URL does not parse or is not http(s). */
  | 'invalid_base_url'
  /** A subscription uid that would change the request path ('', '.', '..'). */
  | 'invalid_uid'
  /** A delivery target URL that does not parse. */
  | 'invalid_url'
  /** A delivery target URL we do not post to (scheme, credentials, a path undici refuses). */
  | 'unsupported_url'
  | 'invalid_header_name'
  /** A header value with a control character in it (a CR/LF would be a second header). */
  | 'invalid_header_value'
  /** An --expect status list that is empty. */
  | 'empty_status_list'
  | 'invalid_status'
  | 'invalid_json'
  /** JSON that parsed but is not the object it has to be. */
  | 'not_an_object'
  /** `--set` without `path=value`. */
  | 'invalid_set'
  /** A field path that is not dot-separated names. */
  | 'invalid_path'
  /** A field path through `__proto__`, `prototype` or `constructor`. */
  | 'forbidden_path'
  /** A field path that indexes an array with something other than a number. */
  | 'not_an_index'
  /** A field path that runs through a value that is not an object (`at`). */
  | 'path_through_value';

/**
 * A value handed to a domain function that it cannot use: a URL, a header, a field path, a status list. The CLI
 * reports it as a usage error (exit 2); `code` says which rule it broke, and the message names what was given (the
 * caller passes its flag or its source).
 */
export class InputError extends DomainError {
  readonly code: InputErrorCode;
  /** For `path_through_value`: the path up to the value that is not an object. */
  readonly at?: string;
  constructor(message: string, code: InputErrorCode, options: { at?: string; cause?: unknown } = {}) {
    super(message, options);
    this.code = code;
    if (options.at !== undefined) this.at = options.at;
  }
}

export type CredentialsErrorCode =
  /** No API key anywhere: nothing was sent. */
  | 'missing_key'
  /** A key with spaces or control characters, which cannot go in a header: nothing was sent. */
  | 'malformed_key'
  /** The API answered 401/403. */
  | 'rejected';

/** No usable API key, or the API rejected the one sent. */
export class CredentialsError extends DomainError {
  readonly code: CredentialsErrorCode;
  /** The API's status, for `rejected`. */
  readonly status?: number;
  constructor(message: string, options: { code: CredentialsErrorCode; status?: number; cause?: unknown }) {
    super(message, options);
    this.code = options.code;
    this.status = options.status;
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
  constructor(message: string, options: ApiErrorData & { cause?: unknown } = {}) {
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
