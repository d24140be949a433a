// A create that fails after the server may have acted on it (500, timeout, a 201 with a broken body) must say so:
// the error carries outcomeUnknown and the create's event/url; the CLI's advice names `list --event … --url …`.
import { http, HttpResponse, delay } from 'msw';
import { describe, expect, it } from 'vitest';
import { domainHint } from '../../../src/cli/domain-hints.js';
import { ApiError } from '../../../src/errors.js';
import { API, caught, makeClient, record, seen, server, useMsw } from '../../helpers/msw-api.js';

useMsw();

const COLLECTION = `${API}/webhook-subscriptions`;
const INPUT = { event: 'render.completed', targetUrl: 'https://example.com/hooks?a=1' };
const LIST_HINT = "`pictify-hooks list --event render.completed --url 'https://example.com/hooks?a=1'`";

function answer(respond: () => Response | Promise<Response>) {
  server.use(
    http.post(COLLECTION, async ({ request }) => {
      await record(request);
      return respond();
    }),
  );
}

describe('ambiguous create failures', () => {
  it('500: the subscription may exist; the hint says how to find it', async () => {
    answer(() => HttpResponse.json({ message: 'boom' }, { status: 500 }));
    const err = await caught(makeClient().client.createSubscription(INPUT));
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 500, outcomeUnknown: true, operation: { name: 'create', ...INPUT } });
    expect(domainHint(err)).toContain(LIST_HINT);
    expect(domainHint(err)).toMatch(/may have been created/);
  });

  it('201 with a body that is not JSON', async () => {
    answer(() => new HttpResponse('<html>ok</html>', { status: 201, headers: { 'content-type': 'text/html' } }));
    const err = await caught(makeClient().client.createSubscription(INPUT));
    expect(err).toMatchObject({ status: 201, code: 'invalid_response', outcomeUnknown: true });
    expect(domainHint(err)).toContain(LIST_HINT);
  });

  it('201 with JSON that is not a subscription', async () => {
    answer(() => HttpResponse.json({ ok: true }, { status: 201 }));
    const err = await caught(makeClient().client.createSubscription(INPUT));
    expect(err).toMatchObject({ code: 'invalid_response', outcomeUnknown: true });
    expect(domainHint(err)).toContain(LIST_HINT);
  });

  it('a hung create times out, is retried with the same Idempotency-Key, and ends ambiguous', async () => {
    answer(async () => {
      await delay('infinite');
      return HttpResponse.json({});
    });
    const err = await caught(makeClient({ timeoutMs: 50, maxAttempts: 3 }).client.createSubscription(INPUT));
    expect(err).toMatchObject({ code: 'timeout', network: 'timeout', outcomeUnknown: true, attempts: 3 });
    expect(seen).toHaveLength(3);
    const keys = new Set(seen.map((s) => s.headers['idempotency-key']));
    expect(keys.size).toBe(1);
    expect([...keys][0]).toBeTruthy();
    expect(domainHint(err)).toContain(LIST_HINT);
  });

  it('504 then 503: the first may have been forwarded, so still ambiguous', async () => {
    let n = 0;
    answer(() => HttpResponse.json({}, { status: n++ === 0 ? 504 : 503 }));
    const err = await caught(makeClient({ maxAttempts: 2 }).client.createSubscription(INPUT));
    expect(err).toMatchObject({ status: 503, outcomeUnknown: true });
  });

  it.each([
    [422, { message: 'Validation failed', errors: [{ field: 'targetUrl', message: 'must be https' }] }],
    [409, { message: 'exists' }],
    [400, { message: 'bad' }],
  ])('%i is a definite no: no "may exist" advice', async (status, body) => {
    answer(() => HttpResponse.json(body, { status }));
    const err = await caught(makeClient().client.createSubscription(INPUT));
    expect(err).toMatchObject({ status, outcomeUnknown: false });
    expect(domainHint(err) ?? '').not.toMatch(/may have been created/);
  });

  it('503 on every attempt was turned away every time: not ambiguous', async () => {
    answer(() => HttpResponse.json({}, { status: 503 }));
    const err = await caught(makeClient({ maxAttempts: 2 }).client.createSubscription(INPUT));
    expect(err).toMatchObject({ status: 503, outcomeUnknown: false });
  });

  it('a GET that fails is never "may have been created"', async () => {
    server.use(http.get(`${COLLECTION}/sub_1`, () => HttpResponse.json({}, { status: 500 })));
    const err = await caught(makeClient().client.getSubscription('sub_1'));
    expect(err).toMatchObject({ status: 500, outcomeUnknown: false, operation: { name: 'get', uid: 'sub_1' } });
  });
});
