// An msw stand-in for Pictify's subscriptions API that keeps state, so command tests see real round trips.
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';

export const API = 'http://api.test';

export interface RecordedRequest {
  method: string;
  url: URL;
  headers: Headers;
  body: unknown;
}

export interface FakeSub {
  uid: string;
  event: string;
  targetUrl: string;
  platform: string;
  status: string;
  filters?: Record<string, string>;
  createdAt: string;
  deliveryCount: number;
  failureCount: number;
}

export function createFakeApi() {
  const subs = new Map<string, FakeSub>();
  const requests: RecordedRequest[] = [];
  let counter = 0;
  const record = async (request: Request) => {
    const text = request.method === 'GET' || request.method === 'DELETE' ? '' : await request.clone().text();
    requests.push({
      method: request.method,
      url: new URL(request.url),
      headers: request.headers,
      body: text ? JSON.parse(text) : undefined,
    });
  };
  const server = setupServer(
    http.get(`${API}/webhook-subscriptions`, async ({ request }) => {
      await record(request);
      const url = new URL(request.url);
      const page = Number(url.searchParams.get('page') ?? 1);
      const limit = Number(url.searchParams.get('limit') ?? 20);
      const all = [...subs.values()].filter(
        (s) =>
          (!url.searchParams.get('event') || s.event === url.searchParams.get('event')) &&
          (!url.searchParams.get('status') || s.status === url.searchParams.get('status')),
      );
      const totalPages = Math.max(1, Math.ceil(all.length / limit));
      return HttpResponse.json({
        subscriptions: all.slice((page - 1) * limit, page * limit),
        pagination: { page, limit, total: all.length, totalPages, hasNext: page < totalPages, hasPrev: page > 1 },
      });
    }),
    http.post(`${API}/webhook-subscriptions`, async ({ request }) => {
      await record(request);
      const body = (await request.json()) as {
        event: string;
        targetUrl: string;
        platform?: string;
        filters?: Record<string, string>;
      };
      const uid = `wh_test${++counter}`;
      const sub: FakeSub = {
        uid,
        event: body.event,
        targetUrl: body.targetUrl,
        platform: body.platform ?? 'custom',
        status: 'active',
        filters: body.filters,
        createdAt: '2026-11-26T12:00:00.000Z',
        deliveryCount: 0,
        failureCount: 0,
      };
      subs.set(uid, sub);
      return HttpResponse.json(
        { subscription: { ...sub, secret: `whsec_SECRET${counter}abcdefghijklmnopqrstuvwxyz0123` } },
        { status: 201 },
      );
    }),
    http.get(`${API}/webhook-subscriptions/:uid`, async ({ request, params }) => {
      await record(request);
      const sub = subs.get(String(params.uid));
      return sub
        ? HttpResponse.json({ subscription: sub })
        : HttpResponse.json({ error: 'Subscription not found', code: 'not_found' }, { status: 404 });
    }),
    http.put(`${API}/webhook-subscriptions/:uid`, async ({ request, params }) => {
      await record(request);
      const sub = subs.get(String(params.uid));
      if (!sub) return HttpResponse.json({ message: 'not found' }, { status: 404 });
      const body = (await request.json()) as Partial<FakeSub>;
      Object.assign(sub, Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)));
      return HttpResponse.json({ subscription: sub });
    }),
    http.delete(`${API}/webhook-subscriptions/:uid`, async ({ request, params }) => {
      await record(request);
      if (!subs.delete(String(params.uid))) return HttpResponse.json({ message: 'not found' }, { status: 404 });
      return HttpResponse.json({ deleted: true });
    }),
    http.post(`${API}/webhook-subscriptions/:uid/:action`, async ({ request }) => {
      await record(request);
      return HttpResponse.json(
        { error: 'This action requires a dashboard session', code: 'forbidden' },
        { status: 403 },
      );
    }),
  );
  const reset = () => {
    subs.clear();
    requests.length = 0;
    counter = 0;
  };
  return { server, subs, requests, reset };
}
