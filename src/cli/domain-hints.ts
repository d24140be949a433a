// The advice for domain failures, in one place: domain errors say what happened (a code, a status, the operation,
// whether a write may have taken effect, a path); this says what to do next, naming our commands and flags. Matched
// by class and code only.
import { SubscriptionsFileError } from '../declarative/errors.js';
import { DEFAULT_FILE } from '../declarative/types.js';
import { ApiError, ConfigError, CredentialsError, InputError } from '../errors.js';
import { WebhookVerificationError } from '../signing/errors.js';
import { AuthError } from './errors.js';
import { formatWait } from '../api/errors.js';
import { shellQuote } from '../outbound/curl.js';

const LOGIN_HINT = 'run `pictify-hooks login` or set PICTIFY_API_KEY';
const BASE_URL_HINT = 'pass --base-url https://api.pictify.io or set PICTIFY_BASE_URL';
const NOT_AN_API_HINT =
  'check the API address (--base-url or PICTIFY_BASE_URL): it may point at a web page, not the API';
const NETWORK_HINT = 'check your network and the API address (--base-url or PICTIFY_BASE_URL)';

/** undefined when the error is not a domain error (or a bare AuthError) or there is nothing useful to add. */
export function domainHint(error: unknown): string | undefined {
  if (error instanceof CredentialsError) {
    return error.code === 'malformed_key'
      ? 'set it again with `pictify-hooks login`, or fix PICTIFY_API_KEY'
      : LOGIN_HINT;
  }
  // A command that rephrased a rejection (auth-check) and had nothing to add.
  if (error instanceof AuthError) return LOGIN_HINT;
  if (error instanceof InputError) return inputHint(error);
  if (error instanceof ConfigError) return configHint(error);
  if (error instanceof WebhookVerificationError) {
    return '`pictify-hooks verify --header … --payload @body.json` explains what differs';
  }
  if (error instanceof SubscriptionsFileError && error.code === 'not_found') {
    const output = error.path === DEFAULT_FILE ? '' : ` -o ${shellQuote(error.path)}`;
    return `pass -f <file>, or write this one from the live subscriptions with \`pictify-hooks import${output}\``;
  }
  if (!(error instanceof ApiError)) return undefined;
  if (error.outcomeUnknown && error.operation?.name === 'create') return maybeCreatedHint(error);
  return byCode(error) ?? byStatus(error) ?? byNetwork(error);
}

/** A create that failed ambiguously: the subscription may exist, and its secret was never seen. */
function maybeCreatedHint(error: ApiError): string {
  const { event, targetUrl } = error.operation ?? {};
  const filters = [event && `--event ${shellQuote(event)}`, targetUrl && `--url ${shellQuote(targetUrl)}`]
    .filter(Boolean)
    .join(' ');
  return (
    `the subscription may have been created anyway: look for it with \`pictify-hooks list ${filters}\` before ` +
    'creating it again (its secret was not received: delete it and create it afresh)'
  );
}

function byCode(error: ApiError): string | undefined {
  switch (error.code) {
    case 'redirect_cross_origin':
    case 'redirect_not_followed':
    case 'too_many_redirects':
    case 'invalid_redirect':
      return 'set --base-url (or PICTIFY_BASE_URL) to the API itself, not an address that redirects elsewhere';
    case 'action_refused': {
      const uid = error.operation?.uid ?? '<uid>';
      return `use \`pictify-hooks update ${uid} --status ${error.operation?.name === 'resume' ? 'active' : 'paused'}\``;
    }
    case 'invalid_response':
      return NOT_AN_API_HINT;
    case 'pagination_runaway':
      return 'narrow the listing with --event/--status/--platform, or drop --all';
    default:
      return undefined;
  }
}

function byStatus(error: ApiError): string | undefined {
  if (error.status === 404) return 'check the uid with `pictify-hooks list`';
  if (error.status === 429) {
    return error.retryAfterMs !== undefined
      ? `wait ${formatWait(error.retryAfterMs)} and run the command again`
      : 'wait a minute and run the command again';
  }
  if (error.status === 502 || error.status === 503 || error.status === 504) {
    return 'the API is having trouble; try again in a minute';
  }
  return undefined;
}

function byNetwork(error: ApiError): string | undefined {
  if (error.network === undefined) return undefined;
  if (error.network === 'timeout' && !/^(UND_ERR_CONNECT_TIMEOUT|ETIMEDOUT)$/.test(error.code ?? '')) {
    return 'try again, or give the API longer per attempt with --api-timeout (e.g. 2m) or PICTIFY_API_TIMEOUT';
  }
  return NETWORK_HINT;
}

function inputHint(error: InputError): string | undefined {
  switch (error.code) {
    case 'invalid_base_url':
      return BASE_URL_HINT;
    case 'invalid_uid':
      return 'list subscriptions with `pictify-hooks list` to find the uid';
    case 'invalid_url':
      return 'give a full url such as http://127.0.0.1:3000/hooks';
    case 'invalid_header_name':
      return 'a header name is letters, digits and - (e.g. X-Request-Id)';
    case 'invalid_header_value':
      return 'header values cannot carry CR, LF or other control characters';
    case 'invalid_status':
      return 'use a class like 2xx or 4xx, an exact code like 401, or a comma list';
    case 'not_an_object':
      return 'e.g. {"templateId":"tmpl_1"}';
    case 'invalid_set':
      return 'Example: --set data.templateId=tmpl_1';
    case 'invalid_path':
      return 'Use dot-separated names, e.g. data.templateId';
    case 'path_through_value':
      return `Replace it whole instead, e.g. --set ${error.at ?? '<path>'}='{…}'`;
    default:
      return undefined;
  }
}

function configHint(error: ConfigError): string {
  switch (error.code) {
    case 'locked':
      return `if no other pictify-hooks command is running, remove the folder ${error.lockPath ?? '<config dir>/.lock'}`;
    case 'write_failed':
      return 'check that the folder exists and is writable, or set PICTIFY_HOOKS_CONFIG_DIR';
    case 'invalid':
      return 'fix it by hand or move it aside (nothing was changed); `pictify-hooks config path` prints where it is';
    case 'not_regular':
      return 'replace it with a regular file (or remove it); `pictify-hooks config path` prints where it is';
    case 'unreadable':
      return 'check its owner and mode (ls -l); `pictify-hooks config path` prints where it is';
    case 'untrusted_folder':
      return `make it yours alone: chmod 700 ${error.path ?? '<config dir>'} (or set PICTIFY_HOOKS_CONFIG_DIR to a private folder)`;
    case 'untrusted_file':
      return `check what it holds, then make it yours alone: chown $(id -u) ${error.path ?? '<file>'} && chmod 600 ${error.path ?? '<file>'}`;
  }
}
