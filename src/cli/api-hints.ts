// The advice for API failures, in one place: src/api's errors say what happened (status, code, operation,
// whether a write may have taken effect); this says what to do next, naming our commands and flags.
import { ApiError } from '../errors.js';
import { AuthError } from './errors.js';
import { formatWait } from '../api/errors.js';
import { ApiInputError } from '../api/url.js';
import { shellQuote } from '../outbound/curl.js';

const LOGIN_HINT = 'run `pictify-hooks login` or set PICTIFY_API_KEY';
const BASE_URL_HINT = 'pass --base-url https://api.pictify.io or set PICTIFY_BASE_URL';
const NOT_AN_API_HINT =
  'check the API address (--base-url or PICTIFY_BASE_URL): it may point at a web page, not the API';
const NETWORK_HINT = 'check your network and the API address (--base-url or PICTIFY_BASE_URL)';

/** undefined when the error is not the API's or there is nothing useful to add. */
export function apiHint(error: unknown): string | undefined {
  if (error instanceof AuthError) {
    return error.code === 'malformed_key'
      ? 'set it again with `pictify-hooks login`, or fix PICTIFY_API_KEY'
      : LOGIN_HINT;
  }
  if (error instanceof ApiInputError) {
    return error.input === 'base_url' ? BASE_URL_HINT : 'list subscriptions with `pictify-hooks list` to find the uid';
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
