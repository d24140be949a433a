// Response → one typed error whose message says the status, the API's own words and the field errors.
// Pictify documents RFC 9457 problem+json but real responses also come as {error,code}, {message},
// {message,errors}, framework defaults, or an HTML page from a proxy; every shape ends up in the same place.

// Errors carry data (status, code, field errors, retry wait, operation); the advice that names commands and flags
// is the CLI's (src/cli/domain-hints.ts).

import { ApiError, CredentialsError, type ApiOperation, type FieldError } from '../errors.js';
import type { NetworkFailure } from './network.js';
import { isJsonObject } from '../events/json-object.js';
import { formatMs } from '../output/duration.js';

const MAX_WORDS = 300;

const REASON_PHRASES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  410: 'Gone',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** HTTP/2 and some proxies send no reason phrase; the message should still read "404 Not Found". */
export function statusLine(status: number, statusText?: string): string {
  const phrase = statusText?.trim() || REASON_PHRASES[status] || '';
  return phrase ? `${status} ${phrase}` : String(status);
}

export interface ParsedErrorBody {
  /** The API's own explanation, already joined into one phrase. */
  words?: string;
  code?: string;
  fieldErrors: FieldError[];
  /** Parsed JSON, or the raw text when it was not JSON; kept on the error for --json output. */
  body: unknown;
}

function str(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (typeof value === 'number') return String(value);
  return undefined;
}

function truncate(text: string, max = MAX_WORDS): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A proxy's HTML error page: its <title> is the useful line; otherwise the first line of visible text. */
function firstLineOfText(text: string): string | undefined {
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1];
  if (title && title.trim()) return truncate(title.trim().replace(/\s+/g, ' '));
  const visible = text.replace(/<(script|style)[\s\S]*?<\/\1>/gi, '').replace(/<[^>]*>/g, '\n');
  const line = visible
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => l !== '');
  return line ? truncate(line.replace(/\s+/g, ' ')) : undefined;
}

function fieldErrorFrom(item: unknown, fallbackField?: string): FieldError | undefined {
  if (typeof item === 'string') return { field: fallbackField, message: item };
  if (item === null || typeof item !== 'object') return undefined;
  const o = item as Record<string, unknown>;
  const message = str(o.message) ?? str(o.msg) ?? str(o.detail) ?? str(o.title);
  if (!message) return undefined;
  const pathField = Array.isArray(o.path) ? o.path.join('.') : str(o.path);
  const pointer = str(o.pointer)?.replace(/^\//, '').replace(/\//g, '.');
  const field = str(o.field) ?? pathField ?? str(o.param) ?? pointer ?? fallbackField;
  const code = str(o.code);
  return { ...(field !== undefined && { field }), message, ...(code !== undefined && { code }) };
}

/** `errors` comes as [{field,message,code}], ["msg"], or {field: "msg" | ["msg", …] | {message}}. */
function parseFieldErrors(errors: unknown): FieldError[] {
  const out: FieldError[] = [];
  const push = (fe: FieldError | undefined) => fe && out.push(fe);
  if (Array.isArray(errors)) {
    for (const item of errors) push(fieldErrorFrom(item));
  } else if (errors !== null && typeof errors === 'object') {
    for (const [field, value] of Object.entries(errors as Record<string, unknown>)) {
      if (Array.isArray(value)) for (const v of value) push(fieldErrorFrom(v, field));
      else push(fieldErrorFrom(value, field));
    }
  } else if (typeof errors === 'string') {
    push({ message: errors });
  }
  return out;
}

function parseJsonObject(o: Record<string, unknown>): Omit<ParsedErrorBody, 'body'> {
  const parts: string[] = [];
  const add = (value: unknown) => {
    const s = str(value);
    if (s && !parts.includes(s)) parts.push(s);
  };
  let code = str(o.code);
  const fieldErrors: FieldError[] = [];

  add(o.title);
  add(o.detail);
  if (o.error !== null && typeof o.error === 'object') {
    // {error: {message, code, errors}} — the nested variant of {error, code}.
    const inner = parseJsonObject(o.error as Record<string, unknown>);
    if (inner.words) add(inner.words);
    code ??= inner.code;
    fieldErrors.push(...inner.fieldErrors);
  } else {
    add(o.error);
  }
  // Some frameworks send `message` as a list of validation messages.
  if (Array.isArray(o.message)) fieldErrors.push(...parseFieldErrors(o.message));
  else add(o.message);
  add(o.error_description);
  fieldErrors.push(...parseFieldErrors(o.errors));

  return { words: parts.length ? truncate(parts.join(': ')) : undefined, code, fieldErrors };
}

export function parseErrorBody(text: string): ParsedErrorBody {
  if (text.trim() === '') return { fieldErrors: [], body: undefined };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { words: firstLineOfText(text), fieldErrors: [], body: truncate(text, 2000) };
  }
  if (isJsonObject(json)) {
    return { ...parseJsonObject(json), body: json };
  }
  if (Array.isArray(json)) return { fieldErrors: parseFieldErrors(json), body: json };
  return { words: str(json), fieldErrors: [], body: json };
}

export function formatFieldErrors(fieldErrors: readonly FieldError[]): string {
  return fieldErrors.map((fe) => (fe.field ? `${fe.field}: ${fe.message}` : fe.message)).join('; ');
}

/** e.g. "API error 422 Unprocessable Entity: Validation failed — targetUrl: must be https" */
export function formatApiErrorMessage(status: number, statusText: string | undefined, parsed: ParsedErrorBody): string {
  const line = statusLine(status, statusText);
  const phrase = line.slice(String(status).length).trim().toLowerCase();
  // Drop the API's words when they only repeat the status ("Not Found: Not Found", nginx's "502 Bad Gateway").
  const said = parsed.words?.toLowerCase();
  const words = parsed.words && said !== phrase && said !== line.toLowerCase() ? `: ${parsed.words}` : '';
  // An RFC 9457 detail often already spells out its field errors ("targetUrl: must use http or https"): say it once.
  const unsaid = parsed.fieldErrors.filter((fe) => !words.includes(formatFieldErrors([fe])));
  const fields = unsaid.length ? ` — ${truncate(formatFieldErrors(unsaid), 500)}` : '';
  return `API error ${line}${words}${fields}`;
}

export function formatWait(ms: number): string {
  const s = Math.ceil(ms / 1000);
  if (s < 120) return `${s} s`;
  return `${Math.ceil(s / 60)} min`;
}

export interface ErrorResponseContext {
  status: number;
  statusText?: string;
  parsed: ParsedErrorBody;
  attempts: number;
  /** How long the server said to wait (uncapped), from Retry-After, the body, or X-RateLimit-Reset. */
  retryAfterMs?: number;
  /** Statuses that mean "API keys may not do this" on this route (pause/resume): they become `action_refused`. */
  refusedStatuses?: readonly number[];
  operation?: ApiOperation;
  outcomeUnknown?: boolean;
}

export function errorFromResponse(ctx: ErrorResponseContext): ApiError | CredentialsError {
  const { status, parsed } = ctx;
  const base = formatApiErrorMessage(status, ctx.statusText, parsed);
  const details = {
    status,
    code: parsed.code,
    fieldErrors: parsed.fieldErrors,
    body: parsed.body,
    attempts: ctx.attempts,
    retryAfterMs: ctx.retryAfterMs,
    operation: ctx.operation,
    outcomeUnknown: ctx.outcomeUnknown,
  };

  // Checked before the 403 → CredentialsError rule: a key that may not pause is still a valid key (exit 1, not 4).
  if (ctx.refusedStatuses?.includes(status)) {
    const what = ctx.operation ? `${ctx.operation.name}${ctx.operation.uid ? ` ${ctx.operation.uid}` : ''}` : 'this';
    return new ApiError(`${what} was refused: ${base}`, { ...details, code: 'action_refused' });
  }
  if (status === 401 || status === 403) return new CredentialsError(base, { code: 'rejected', status });
  const gaveUp = ctx.attempts > 1 ? ` (gave up after ${ctx.attempts} attempts)` : '';
  if (status === 429) {
    const when = ctx.retryAfterMs !== undefined ? `; retry in ${formatWait(ctx.retryAfterMs)}` : '';
    return new ApiError(`rate limit exceeded: ${base}${gaveUp}${when}`, {
      ...details,
      code: parsed.code ?? 'rate_limited',
    });
  }
  if (status >= 500) return new ApiError(`${base}${gaveUp}`, details);
  return new ApiError(base, details);
}

export function networkApiError(
  failure: NetworkFailure,
  ctx: {
    base: string;
    host: string;
    attempts: number;
    timeoutMs: number;
    cause: unknown;
    operation?: ApiOperation;
    outcomeUnknown?: boolean;
  },
): ApiError {
  const code = failure.code ? ` (${failure.code})` : '';
  let message: string;
  switch (failure.kind) {
    case 'refused':
      message = `could not connect to ${ctx.base} (connection refused)`;
      break;
    case 'dns':
      message = `could not resolve host ${ctx.host} (DNS lookup failed${failure.code ? `: ${failure.code}` : ''})`;
      break;
    case 'dns_temporary':
      message = `DNS lookup for ${ctx.host} failed temporarily${code}`;
      break;
    case 'reset':
      message = `connection to ${ctx.base} was closed unexpectedly${code}`;
      break;
    case 'timeout':
      // The connect timeout is shorter than the request timeout, so it gets its own wording.
      message =
        failure.code === 'UND_ERR_CONNECT_TIMEOUT' || failure.code === 'ETIMEDOUT'
          ? `connecting to ${ctx.base} timed out${code}`
          : `request to ${ctx.base} timed out after ${formatMs(ctx.timeoutMs)}${code}`;
      break;
    case 'unreachable':
      message = `network unreachable talking to ${ctx.base}${code}`;
      break;
    default:
      message = `network error talking to ${ctx.base}: ${failure.detail}`;
  }
  if (ctx.attempts > 1) message += `; gave up after ${ctx.attempts} attempts`;
  return new ApiError(message, {
    code: failure.code ?? failure.kind,
    network: failure.kind,
    attempts: ctx.attempts,
    operation: ctx.operation,
    outcomeUnknown: ctx.outcomeUnknown,
    cause: ctx.cause,
  });
}
