// How `trigger` and `deliveries` talk to a running emulator: global fetch with the API key header like the real
// client, and errors that say what to do (start the emulator, point PICTIFY_BASE_URL at it, pass its key).
import type { Context } from './context.js';
import { ApiError } from '../errors.js';
import { AuthError, FailureError, UsageError } from './errors.js';
import { formatApiErrorMessage, parseErrorBody } from '../api/errors.js';
import { classifyNetworkError, type NetworkFailureKind } from '../api/network.js';
import { settingsOf } from './settings.js';
import { existingProfile } from './profiles.js';

const WHY: Partial<Record<NetworkFailureKind, string>> = {
  refused: 'connection refused (is it running, on that port?)',
  dns: 'no such host',
  timeout: 'no answer in time',
  reset: 'the connection was cut',
  unreachable: 'host unreachable',
};

const START_HINT =
  'start it with `pictify-hooks emulator` and set PICTIFY_BASE_URL (or --base-url) to the address it prints';

export async function emulatorBaseUrl(ctx: Context, command: string): Promise<{ baseUrl: string; apiKey?: string }> {
  const s = await settingsOf(ctx);
  await existingProfile(ctx);
  if (s.baseUrlSource === 'default') {
    throw new UsageError(`${command} talks to the local emulator, not to ${s.baseUrl}`, { hint: START_HINT });
  }
  return { baseUrl: s.baseUrl, apiKey: s.apiKey };
}

type EmulatorRequest = { method: 'GET' | 'POST'; path: string; body?: unknown; timeoutMs?: number };

export async function callEmulator(ctx: Context, command: string, request: EmulatorRequest): Promise<unknown> {
  const { baseUrl, apiKey } = await emulatorBaseUrl(ctx, command);
  const url = `${baseUrl}${request.path}`;
  const response = await send(ctx, url, baseUrl, apiKey, request);
  const text = await response.text();
  if (response.status >= 300 && response.status < 400) {
    const location = response.headers.get('location');
    const to = location && URL.canParse(location, url) ? ` to ${new URL(location, url).href}` : '';
    throw new FailureError(
      `${baseUrl} answered ${request.path} with a ${response.status} redirect${to} (not followed)`,
      {
        hint: `is ${baseUrl} the emulator? ${START_HINT}`,
      },
    );
  }
  if (response.ok) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new FailureError(`${baseUrl} answered ${request.path} with something that is not JSON`, {
        hint: `is ${baseUrl} the emulator? ${START_HINT}`,
      });
    }
  }
  throw refusal(response, text, baseUrl, request.path);
}

/** The request, or an error naming why the emulator could not be reached. */
async function send(
  ctx: Context,
  url: string,
  baseUrl: string,
  apiKey: string | undefined,
  request: EmulatorRequest,
): Promise<Response> {
  const headers: Record<string, string> = { 'user-agent': `pictify-hooks/${ctx.version}`, accept: 'application/json' };
  if (apiKey) headers.authorization = `Bearer ${apiKey}`;
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  try {
    return await ctx.fetchImpl(url, {
      method: request.method,
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: AbortSignal.timeout(request.timeoutMs ?? 30_000),
      // The request carries the API key: a redirect must not take it anywhere else.
      redirect: 'manual',
    });
  } catch (error) {
    // fetch reports every transport failure as a bare TypeError("fetch failed"): name the cause instead.
    const failure = classifyNetworkError(error);
    if (!failure) throw error;
    const why = WHY[failure.kind] ?? `${failure.code ?? 'network error'}: ${failure.detail}`;
    throw new FailureError(`cannot reach the emulator at ${baseUrl}: ${why}`, { hint: START_HINT });
  }
}

/** A 4xx/5xx answer as the error it means: the wrong key, not an emulator, a bad request, or the API's own. */
function refusal(response: Response, text: string, baseUrl: string, path: string): Error {
  const parsed = parseErrorBody(text);
  const message = formatApiErrorMessage(response.status, response.statusText, parsed);
  if (response.status === 401 || response.status === 403) {
    return new AuthError(message, { hint: 'pass the key the emulator was started with: --api-key or PICTIFY_API_KEY' });
  }
  if (response.status === 404) {
    return new FailureError(`${baseUrl} has no ${path}: it is not a pictify-hooks emulator`, { hint: START_HINT });
  }
  if (response.status === 400) return new UsageError(message);
  return new ApiError(message, {
    status: response.status,
    code: parsed.code,
    fieldErrors: parsed.fieldErrors,
    body: parsed.body,
  });
}
