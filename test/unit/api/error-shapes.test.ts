import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { domainHint } from '../../../src/cli/domain-hints.js';
import { ApiError, CredentialsError } from '../../../src/errors.js';
import { formatApiErrorMessage, parseErrorBody } from '../../../src/api/errors.js';
import { API, KEY, caught, makeClient, server, useMsw } from '../../helpers/msw-api.js';
import { outcomeOf } from '../../../src/cli/exit-codes.js';

useMsw();

const ITEM = `${API}/webhook-subscriptions/sub_123`;
const COLLECTION = `${API}/webhook-subscriptions`;

/** One GET against a handler answering `respond`; returns the thrown error. */
async function errorFor(respond: () => Response): Promise<any> {
  server.use(http.get(ITEM, respond));
  const { client } = makeClient();
  return caught(client.getSubscription('sub_123'));
}

describe('error shapes → one ApiError', () => {
  it('RFC 9457 problem+json with field errors', async () => {
    const problem = {
      type: 'https://api.pictify.io/problems/validation',
      title: 'Validation failed',
      status: 422,
      instance: '/webhook-subscriptions',
      errors: [{ field: 'targetUrl', message: 'must be https', code: 'invalid_url' }],
    };
    server.use(
      http.post(COLLECTION, () =>
        HttpResponse.json(problem, { status: 422, headers: { 'Content-Type': 'application/problem+json' } }),
      ),
    );
    const { client } = makeClient();
    const err = await caught(client.createSubscription({ event: 'render.completed', targetUrl: 'http://x' }));
    expect(err).toBeInstanceOf(ApiError);
    expect(err.message).toBe('API error 422 Unprocessable Entity: Validation failed — targetUrl: must be https');
    expect(err.status).toBe(422);
    expect(err.fieldErrors).toEqual([{ field: 'targetUrl', message: 'must be https', code: 'invalid_url' }]);
    expect(err.body).toEqual(problem);
  });

  it('a detail that already spells out its field errors is said once', () => {
    const body = {
      title: 'Validation failed',
      status: 400,
      detail: 'targetUrl: must use http or https',
      errors: [{ field: 'targetUrl', message: 'must use http or https', code: 'invalid_url' }],
    };
    expect(formatApiErrorMessage(400, 'Bad Request', parseErrorBody(JSON.stringify(body)))).toBe(
      'API error 400 Bad Request: Validation failed: targetUrl: must use http or https',
    );
  });

  it('problem+json with a detail and several field errors', async () => {
    const err = await errorFor(() =>
      HttpResponse.json(
        {
          title: 'Bad Request',
          detail: 'The subscription could not be created',
          status: 400,
          errors: [
            { field: 'event', message: 'unknown event' },
            { field: 'filters.type', message: 'must be image, gif or pdf' },
          ],
        },
        { status: 400 },
      ),
    );
    expect(err.message).toBe(
      'API error 400 Bad Request: Bad Request: The subscription could not be created — ' +
        'event: unknown event; filters.type: must be image, gif or pdf',
    );
    expect(err.fieldErrors).toHaveLength(2);
  });

  it('{error, code}', async () => {
    const err = await errorFor(() =>
      HttpResponse.json({ error: 'Target URL is blocked', code: 'target_blocked' }, { status: 400 }),
    );
    expect(err.message).toBe('API error 400 Bad Request: Target URL is blocked');
    expect(err.code).toBe('target_blocked');
    expect(err.fieldErrors).toEqual([]);
  });

  it('{message}', async () => {
    const err = await errorFor(() => HttpResponse.json({ message: 'Subscription limit reached' }, { status: 409 }));
    expect(err.message).toBe('API error 409 Conflict: Subscription limit reached');
    expect(err.status).toBe(409);
  });

  it('{message, errors: [{field, message}]}', async () => {
    const err = await errorFor(() =>
      HttpResponse.json(
        { message: 'Invalid input', errors: [{ field: 'targetUrl', message: 'is required' }] },
        { status: 422 },
      ),
    );
    expect(err.message).toBe('API error 422 Unprocessable Entity: Invalid input — targetUrl: is required');
    expect(err.fieldErrors).toEqual([{ field: 'targetUrl', message: 'is required' }]);
  });

  it('{message, errors: {field: message | message[]}}', async () => {
    const err = await errorFor(() =>
      HttpResponse.json(
        { message: 'Invalid input', errors: { targetUrl: 'must be https', event: ['is required', 'is unknown'] } },
        { status: 422 },
      ),
    );
    expect(err.fieldErrors).toEqual([
      { field: 'targetUrl', message: 'must be https' },
      { field: 'event', message: 'is required' },
      { field: 'event', message: 'is unknown' },
    ]);
    expect(err.message).toBe(
      'API error 422 Unprocessable Entity: Invalid input — ' +
        'targetUrl: must be https; event: is required; event: is unknown',
    );
  });

  it('an HTML page from a proxy: the status, without repeating it', async () => {
    const err = await errorFor(
      () =>
        new HttpResponse(
          '<html>\r\n<head><title>413 Request Entity Too Large</title></head>\r\n' +
            '<body><center><h1>413</h1></center><hr><center>nginx</center></body>\r\n</html>',
          { status: 413, statusText: 'Request Entity Too Large', headers: { 'Content-Type': 'text/html' } },
        ),
    );
    expect(err).toBeInstanceOf(ApiError);
    expect(err.message).toBe('API error 413 Request Entity Too Large');
    expect(err.fieldErrors).toEqual([]);
  });

  it('an HTML page from a CDN: the status and the page title', async () => {
    const err = await errorFor(
      () =>
        new HttpResponse(
          '<!DOCTYPE html>\n<html><head><title>api.pictify.io | 521: Web server is down</title></head>' +
            '<body>…</body></html>',
          { status: 521, headers: { 'Content-Type': 'text/html; charset=UTF-8' } },
        ),
    );
    expect(err.message).toMatch(/^API error 521( [A-Za-z ]+)?: api\.pictify\.io \| 521: Web server is down$/);
  });

  it('an HTML page without a title: its first line of text', async () => {
    const err = await errorFor(
      () =>
        new HttpResponse('<html><body>\n<h1>  Access   denied </h1><p>by policy</p></body></html>', { status: 400 }),
    );
    expect(err.message).toBe('API error 400 Bad Request: Access denied');
  });

  it('plain text: the first non-empty line, trimmed', async () => {
    const err = await errorFor(
      () => new HttpResponse('\n   upstream connect error   \nreset reason: overflow\n', { status: 500 }),
    );
    expect(err.message).toBe('API error 500 Internal Server Error: upstream connect error');
  });

  it('an empty body: just the status', async () => {
    const err = await errorFor(() => new HttpResponse(null, { status: 500 }));
    expect(err.message).toBe('API error 500 Internal Server Error');
  });

  it('does not repeat the reason phrase as the API words', async () => {
    const err = await errorFor(() => HttpResponse.json({ error: 'Conflict' }, { status: 409 }));
    expect(err.message).toBe('API error 409 Conflict');
  });

  it('never puts the API key in a message or body, even when the API echoes it', async () => {
    const err = await errorFor(() => HttpResponse.json({ message: `Key ${KEY} is revoked` }, { status: 400 }));
    expect(err.message).toBe('API error 400 Bad Request: Key [redacted] is revoked');
    expect(JSON.stringify(err.body)).not.toContain(KEY);
  });
});

describe('statuses with their own meaning', () => {
  it.each([401, 403])('%i → CredentialsError with the API words and the login hint', async (status) => {
    const err = await errorFor(() => HttpResponse.json({ error: 'Invalid API key', code: 'invalid_key' }, { status }));
    expect(err).toBeInstanceOf(CredentialsError);
    expect(outcomeOf(err).code).toBe(4);
    expect(err.message).toContain(String(status));
    expect(err.message).toContain('Invalid API key');
    expect(domainHint(err)).toBe('run `pictify-hooks login` or set PICTIFY_API_KEY');
    expect(err.message).not.toContain(KEY);
  });

  it('404 → ApiError with the list hint', async () => {
    const err = await errorFor(() => HttpResponse.json({ message: 'Subscription not found' }, { status: 404 }));
    expect(err).toBeInstanceOf(ApiError);
    expect(err.message).toBe('API error 404 Not Found: Subscription not found');
    expect(domainHint(err)).toBe('check the uid with `pictify-hooks list`');
  });

  it('429 after every attempt → says rate limit and when to retry', async () => {
    server.use(
      http.get(ITEM, () =>
        HttpResponse.json({ message: 'Too many requests' }, { status: 429, headers: { 'Retry-After': '90' } }),
      ),
    );
    const { client, sleeps } = makeClient();
    const err = await caught(client.getSubscription('sub_123'));
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(429);
    expect(err.code).toBe('rate_limited');
    expect(err.message).toBe(
      'rate limit exceeded: API error 429 Too Many Requests (gave up after 4 attempts); retry in 90 s',
    );
    expect(domainHint(err)).toBe('wait 90 s and run the command again');
    expect(sleeps).toEqual([30_000, 30_000, 30_000]);
  });

  it('503 after every attempt → says it gave up', async () => {
    const err = await errorFor(
      () =>
        new HttpResponse('<html><head><title>503 Service Temporarily Unavailable</title></head></html>', {
          status: 503,
        }),
    );
    expect(err.message).toBe(
      'API error 503 Service Unavailable: 503 Service Temporarily Unavailable (gave up after 4 attempts)',
    );
    expect(domainHint(err)).toMatch(/try again/);
  });
});

describe('parseErrorBody variants', () => {
  it('nested {error: {message, code, errors}}', () => {
    const parsed = parseErrorBody(
      JSON.stringify({
        error: {
          message: 'Bad filters',
          code: 'bad_filters',
          errors: [{ path: ['filters', 'type'], message: 'invalid' }],
        },
      }),
    );
    expect(parsed.words).toBe('Bad filters');
    expect(parsed.code).toBe('bad_filters');
    expect(parsed.fieldErrors).toEqual([{ field: 'filters.type', message: 'invalid' }]);
  });

  it('framework style {statusCode, message: [...], error}', () => {
    const parsed = parseErrorBody(
      JSON.stringify({
        statusCode: 400,
        message: ['targetUrl must be a URL', 'event must be a string'],
        error: 'Bad Request',
      }),
    );
    expect(parsed.words).toBe('Bad Request');
    expect(parsed.fieldErrors).toEqual([{ message: 'targetUrl must be a URL' }, { message: 'event must be a string' }]);
  });

  it('a JSON string body and a numeric code', () => {
    expect(parseErrorBody('"nope"').words).toBe('nope');
    expect(parseErrorBody(JSON.stringify({ message: 'x', code: 1234 })).code).toBe('1234');
  });

  it('errors as a plain list of strings', () => {
    expect(parseErrorBody(JSON.stringify({ errors: ['a', 'b'] })).fieldErrors).toEqual([
      { message: 'a' },
      { message: 'b' },
    ]);
  });

  it('caps very long API words', () => {
    const parsed = parseErrorBody(JSON.stringify({ message: 'x'.repeat(5000) }));
    expect(parsed.words!.length).toBeLessThanOrEqual(300);
  });
});
