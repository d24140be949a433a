// Redirects: never to another origin (the create body, the Idempotency-Key and the bearer key would go there and
// its answer, secret included, would be trusted); same origin only for GET, at most 3 hops.
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/errors.js';
import { API, KEY, caught, makeClient, record, seen, server, sub, useMsw } from '../../helpers/msw-api.js';

useMsw();

const COLLECTION = `${API}/webhook-subscriptions`;
const ITEM = `${COLLECTION}/sub_123`;
const EVIL = 'http://evil.test/webhook-subscriptions';
const created = () =>
  HttpResponse.json({ subscription: sub({ secret: 'whsec_chosen_by_evil' }) }, { status: 201 }) as Response;

describe('redirects (msw)', () => {
  it.each([301, 302, 303, 307, 308])(
    'a %i on create to another host is an error naming the location; the other host gets nothing',
    async (status) => {
      server.use(
        http.post(COLLECTION, async ({ request }) => {
          await record(request);
          return new HttpResponse(null, { status, headers: { Location: EVIL } });
        }),
        http.post(EVIL, async ({ request }) => {
          await record(request);
          return created();
        }),
      );
      const { client } = makeClient();
      const err = await caught(client.createSubscription({ event: 'render.completed', targetUrl: 'https://a.test/h' }));
      expect(err).toBeInstanceOf(ApiError);
      expect(err).toMatchObject({ status, code: 'redirect_cross_origin', location: EVIL });
      expect(err.message).toContain(EVIL);
      expect(seen.map((s) => s.url.host)).toEqual(['api.test']);
    },
  );

  it('a same-host redirect to another port or scheme is another origin too', async () => {
    for (const location of ['http://api.test:8080/webhook-subscriptions/sub_123', 'https://api.test/x']) {
      server.use(http.get(ITEM, () => new HttpResponse(null, { status: 302, headers: { Location: location } })));
      const { client } = makeClient();
      const err = await caught(client.getSubscription('sub_123'));
      expect(err).toMatchObject({ code: 'redirect_cross_origin', location });
    }
  });

  it('GET follows a same-origin redirect (relative Location) and keeps the key', async () => {
    server.use(
      http.get(ITEM, async ({ request }) => {
        await record(request);
        return new HttpResponse(null, { status: 301, headers: { Location: '/v2/webhook-subscriptions/sub_123' } });
      }),
      http.get(`${API}/v2/webhook-subscriptions/sub_123`, async ({ request }) => {
        await record(request);
        return HttpResponse.json({ subscription: sub() });
      }),
    );
    const { client } = makeClient();
    expect(await client.getSubscription('sub_123')).toEqual(sub());
    expect(seen.map((s) => s.url.pathname)).toEqual([
      '/webhook-subscriptions/sub_123',
      '/v2/webhook-subscriptions/sub_123',
    ]);
    expect(seen[1].headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('GET gives up after 3 same-origin hops', async () => {
    let n = 0;
    server.use(
      http.get(`${API}/hop/:n`, async ({ request }) => {
        await record(request);
        return new HttpResponse(null, { status: 302, headers: { Location: `/hop/${++n}` } });
      }),
      http.get(ITEM, async ({ request }) => {
        await record(request);
        return new HttpResponse(null, { status: 302, headers: { Location: '/hop/0' } });
      }),
    );
    const { client } = makeClient();
    const err = await caught(client.getSubscription('sub_123'));
    expect(err).toMatchObject({ code: 'too_many_redirects', status: 302, location: `${API}/hop/3` });
    expect(seen).toHaveLength(4); // the request and 3 followed hops
  });

  it('POST/PUT/DELETE do not follow even a same-origin redirect', async () => {
    server.use(
      http.put(ITEM, async ({ request }) => {
        await record(request);
        return new HttpResponse(null, { status: 307, headers: { Location: '/elsewhere' } });
      }),
    );
    const { client } = makeClient();
    const err = await caught(client.updateSubscription('sub_123', { status: 'paused' }));
    expect(err).toMatchObject({ code: 'redirect_not_followed', status: 307, location: `${API}/elsewhere` });
    expect(seen).toHaveLength(1);
  });
});
