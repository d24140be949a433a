// The web-standard handler: statuses, typed dispatch, the handler's context, acknowledge, dedupe and onError.
import { describe, expect, it } from 'vitest';
import {
  acknowledge,
  createWebhookHandler,
  memoryDedupe,
  WebhookVerificationError,
  type DedupeStore,
  type EventOf,
  type WebhookHandlerOptions,
} from '../../../src/index.js';
import { pictifyRoute } from '../../../src/adapters/next.js';
import { buildSampleEvent, type EventName } from '../../../src/events/index.js';
import { signPayload } from '../../../src/signing/index.js';

const SECRET = 'whsec_web_handler';
const NOW_MS = Date.UTC(2026, 11, 1, 10, 0, 0);
const URL = 'http://127.0.0.1/webhooks/pictify';

function delivery(
  event: EventName = 'render.completed',
  options: { deliveryId?: string; secret?: string; ageS?: number; body?: string | Uint8Array; method?: string } = {},
): Request {
  const deliveryId = options.deliveryId ?? `del_${Math.random().toString(36).slice(2)}`;
  const body = options.body ?? JSON.stringify(buildSampleEvent(event, { deliveryId, now: NOW_MS }));
  const timestamp = Math.floor(NOW_MS / 1000) - (options.ageS ?? 0);
  return new Request(URL, {
    method: options.method ?? 'POST',
    headers: {
      'content-type': 'application/json',
      'x-pictify-signature': signPayload({ payload: body, secret: options.secret ?? SECRET, timestamp }),
      'x-pictify-event': event,
      'x-pictify-delivery-id': deliveryId,
    },
    body: options.method === 'GET' ? undefined : typeof body === 'string' ? body : new Uint8Array(body),
  });
}

function handler(overrides: Partial<WebhookHandlerOptions> = {}) {
  return createWebhookHandler({ secret: SECRET, on: {}, now: () => NOW_MS, ...overrides });
}

async function answer(response: Response) {
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('createWebhookHandler: answers', () => {
  it('200 {"received":true} after the handler resolved', async () => {
    expect(await answer(await handler()(delivery()))).toEqual({ status: 200, body: { received: true } });
  });

  it('405 with Allow: POST for other methods', async () => {
    const response = await handler()(new Request(URL, { method: 'GET' }));
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });

  it('413 over maxBodyBytes, by Content-Length or by the bytes that arrived (chunked)', async () => {
    const small = handler({ maxBodyBytes: 100 });
    expect((await small(delivery())).status).toBe(413);
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 10; i++) controller.enqueue(new Uint8Array(50));
        controller.close();
      },
    });
    const chunked = new Request(URL, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: chunks,
      duplex: 'half',
    } as RequestInit);
    expect(await answer(await small(chunked))).toMatchObject({ status: 413, body: { error: 'payload_too_large' } });
  });

  it.each<[string, () => Request, number, string]>([
    [
      'no signature header',
      () => new Request(URL, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }),
      400,
      'missing_header',
    ],
    ['a garbage header', () => withHeader(delivery(), 'garbage'), 400, 'malformed_header'],
    ['the wrong secret', () => delivery('render.completed', { secret: 'whsec_other' }), 401, 'signature_mismatch'],
    ['a stale timestamp', () => delivery('render.completed', { ageS: 301 }), 401, 'timestamp_too_old'],
    ['a signed body that is not JSON', () => delivery('render.completed', { body: 'hello' }), 400, 'invalid_json'],
    [
      'a signed body that is not a Pictify event',
      () => delivery('render.completed', { body: '{"event":"render.started","data":{}}' }),
      400,
      'invalid_payload',
    ],
  ])('%s → %i %s', async (_name, make, status, error) => {
    let called = false;
    const response = await handler({ on: { '*': () => void (called = true) } })(make());
    expect(await answer(response)).toMatchObject({ status, body: { error } });
    expect(called).toBe(false);
  });

  it('500 when the handler throws (Pictify retries), without the error text', async () => {
    const response = await handler({
      on: {
        'render.completed': () => {
          throw new Error('db password is hunter2');
        },
      },
    })(delivery());
    const { status, body } = await answer(response);
    expect(status).toBe(500);
    expect(JSON.stringify(body)).not.toContain('hunter2');
  });

  it('200 when the handler throws acknowledge(error): unrecoverable, do not retry', async () => {
    const seen: unknown[] = [];
    const cause = new Error('template deleted');
    const response = await handler({
      on: {
        'render.failed': async () => {
          throw acknowledge(cause);
        },
      },
      onError: (error, info) => void seen.push(error, info),
    })(delivery('render.failed'));
    expect(await answer(response)).toEqual({ status: 200, body: { received: true, acknowledged: true } });
    expect(seen[0]).toBe(cause);
    expect(seen[1]).toMatchObject({ status: 200 });
  });

  it('a Next.js-style POST called with new Request(...) verifies', async () => {
    const POST = pictifyRoute({ secret: SECRET, on: {}, now: () => NOW_MS });
    expect((await POST(delivery())).status).toBe(200);
  });

  it('a Request whose body was already read (request.json() first) fails loudly with the fix', async () => {
    const request = delivery();
    await request.json();
    await expect(handler()(request)).rejects.toThrow(/already read \(request\.json\(\).*untouched Request/);
  });

  it('refuses to start without a secret (an unset environment variable), instead of answering 401 forever', () => {
    expect(() => createWebhookHandler({ secret: undefined, on: {} })).toThrow(/no webhook secret.*unset environment/);
    expect(() => createWebhookHandler({ secrets: ['', ''], on: {} })).toThrow(/no webhook secret/);
  });
});

function withHeader(request: Request, signature: string): Request {
  const headers = new Headers(request.headers);
  headers.set('x-pictify-signature', signature);
  return new Request(request, { headers });
}

describe('createWebhookHandler: dispatch and context', () => {
  it('calls the handler of the event, else "*", with event.data typed and the delivery context', async () => {
    const calls: string[] = [];
    const rawBodies: Uint8Array[] = [];
    const handle = handler({
      secrets: ['whsec_old', SECRET],
      on: {
        'batch.completed': (event: EventOf<'batch.completed'>, ctx) => {
          calls.push(
            `batch ${event.data.batchId} ${event.data.completedCount} ${ctx.deliveryId} secret#${ctx.secretIndex}`,
          );
          rawBodies.push(ctx.rawBody);
        },
        '*': (event, ctx) => void calls.push(`any ${event.event} t=${ctx.timestamp} ${ctx.header('X-Pictify-Event')}`),
      },
    });
    const request = delivery('batch.completed', { deliveryId: 'del_b1' });
    const sent = new Uint8Array(await request.clone().arrayBuffer());
    await handle(request);
    await handle(delivery('binding.failed'));
    const sample = buildSampleEvent('batch.completed');
    expect(calls).toEqual([
      `batch ${sample.data.batchId} ${sample.data.completedCount} del_b1 secret#1`,
      `any binding.failed t=${Math.floor(NOW_MS / 1000)} binding.failed`,
    ]);
    expect(Buffer.from(rawBodies[0]).equals(Buffer.from(sent))).toBe(true);
  });

  it('an event with no handler and no "*" is acknowledged (200) and dropped', async () => {
    expect((await handler({ on: {} })(delivery('binding.updated'))).status).toBe(200);
  });

  it('onError sees verification failures as WebhookVerificationError with reason and status', async () => {
    const errors: unknown[] = [];
    await handler({ onError: (error) => void errors.push(error) })(delivery('render.completed', { secret: 'whsec_x' }));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(WebhookVerificationError);
    expect(errors[0]).toMatchObject({ reason: 'signature_mismatch', status: 401 });
  });

  it('an onError that throws does not change the answer', async () => {
    const response = await handler({
      onError: () => {
        throw new Error('logger down');
      },
    })(delivery('render.completed', { secret: 'whsec_x' }));
    expect(response.status).toBe(401);
  });
});

describe('createWebhookHandler: dedupe (claims)', () => {
  it('by default a delivery id already handled answers 200 duplicate without running the handler again', async () => {
    let runs = 0;
    const handle = handler({ on: { '*': () => void (runs += 1) } });
    const first = await answer(await handle(delivery('render.completed', { deliveryId: 'del_same' })));
    const retry = await answer(await handle(delivery('render.completed', { deliveryId: 'del_same' })));
    expect(first.body).toEqual({ received: true });
    expect(retry).toEqual({ status: 200, body: { received: true, duplicate: true } });
    expect(runs).toBe(1);
  });

  it('one signed body under three delivery ids (the header the signature does not cover) runs once', async () => {
    let runs = 0;
    const handle = handler({ on: { '*': () => void (runs += 1) } });
    const original = delivery('render.completed', { deliveryId: 'del_one' });
    const swapped = (id: string) => {
      const headers = new Headers(original.headers);
      headers.set('x-pictify-delivery-id', id);
      return new Request(original.clone(), { headers });
    };
    const answers = [];
    for (const request of [original.clone(), swapped('del_two'), swapped('del_three')])
      answers.push(await answer(await handle(request)));
    expect(runs).toBe(1);
    expect(answers.map((a) => a.body.duplicate ?? false)).toEqual([false, true, true]);
  });

  it('a retry re-signed with a new timestamp (same delivery id) is a duplicate too', async () => {
    let runs = 0;
    const handle = handler({ on: { '*': () => void (runs += 1) } });
    const body = JSON.stringify(buildSampleEvent('render.completed', { deliveryId: 'del_r', now: NOW_MS }));
    await handle(delivery('render.completed', { deliveryId: 'del_r', body }));
    const later = await handle(delivery('render.completed', { deliveryId: 'del_r', body, ageS: 60 }));
    expect(await answer(later)).toEqual({ status: 200, body: { received: true, duplicate: true } });
    expect(runs).toBe(1);
  });

  it('a delivery whose handler failed is released: the retry runs it again', async () => {
    let runs = 0;
    const handle = handler({
      on: {
        '*': () => {
          runs += 1;
          if (runs === 1) throw new Error('flaky');
        },
      },
    });
    expect((await handle(delivery('render.completed', { deliveryId: 'del_f' }))).status).toBe(500);
    expect((await handle(delivery('render.completed', { deliveryId: 'del_f' }))).status).toBe(200);
    expect(runs).toBe(2);
  });

  it('10 concurrent copies run the handler once; the others answer 409 in_flight with Retry-After', async () => {
    let runs = 0;
    const handle = handler({
      on: {
        '*': async () => {
          runs += 1;
          await new Promise((r) => setTimeout(r, 50));
        },
      },
    });
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => handle(delivery('render.completed', { deliveryId: 'del_burst' }))),
    );
    expect(runs).toBe(1);
    expect(responses.map((r) => r.status).sort()).toEqual([200, ...Array(9).fill(409)]);
    const refused = responses.find((r) => r.status === 409)!;
    expect(refused.headers.get('retry-after')).toBe('30');
    expect(await answer(refused)).toMatchObject({ body: { error: 'in_flight' } });
    // Pictify's retry of a refused copy, after the first completed: a duplicate.
    expect(await answer(await handle(delivery('render.completed', { deliveryId: 'del_burst' })))).toEqual({
      status: 200,
      body: { received: true, duplicate: true },
    });
  });

  it('a lease that ran out (its holder died) lets the next copy run', async () => {
    let clock = NOW_MS;
    const store = memoryDedupe({ leaseMs: 1_000, now: () => clock });
    const stuck = await store.claim(['id:del_dead'], 1_000);
    expect(stuck.status).toBe('new');
    let runs = 0;
    const handle = handler({ dedupe: store, on: { '*': () => void (runs += 1) } });
    expect((await handle(delivery('render.completed', { deliveryId: 'del_dead' }))).status).toBe(409);
    clock += 1_001;
    expect((await handle(delivery('render.completed', { deliveryId: 'del_dead' }))).status).toBe(200);
    expect(runs).toBe(1);
  });

  it('dedupe: false handles every copy', async () => {
    let runs = 0;
    const handle = handler({ dedupe: false, on: { '*': () => void (runs += 1) } });
    await handle(delivery('render.completed', { deliveryId: 'del_x' }));
    await handle(delivery('render.completed', { deliveryId: 'del_x' }));
    expect(runs).toBe(2);
  });

  it('a store is asked to claim, then complete (or release); a failing store answers 500', async () => {
    const log: string[] = [];
    const inner = memoryDedupe();
    const store: DedupeStore = {
      claim: async (keys, lease) => {
        const result = await inner.claim(keys, lease);
        log.push(`claim ${keys.map((k) => k.slice(0, 6)).join(' ')} ${lease} → ${result.status}`);
        return result;
      },
      complete: async (keys, token, retention) => {
        log.push(`complete ${retention}`);
        return inner.complete(keys, token, retention);
      },
      release: async (keys, token) => {
        log.push('release');
        return inner.release(keys, token);
      },
    };
    let fail = true;
    const handle = handler({
      dedupe: store,
      on: {
        '*': () => {
          if (fail) throw new Error('flaky');
        },
      },
    });
    await handle(delivery('render.completed', { deliveryId: 'del_s' }));
    fail = false;
    await handle(delivery('render.completed', { deliveryId: 'del_s' }));
    await handle(delivery('render.completed', { deliveryId: 'del_s' }));
    expect(log).toEqual([
      expect.stringMatching(/^claim v1:\w+ id:del 30000 → new$/),
      'release',
      expect.stringMatching(/^claim v1:\w+ id:del 30000 → new$/),
      'complete 97200000',
      expect.stringMatching(/^claim .* → duplicate$/),
    ]);

    const down = handler({
      dedupe: {
        claim: async () => {
          throw new Error('ECONNREFUSED');
        },
        complete: () => {},
        release: () => {},
      },
    });
    expect(await answer(await down(delivery()))).toMatchObject({ status: 500, body: { error: 'dedupe_failed' } });
  });

  it('memoryDedupe keeps at most maxKeys keys (the oldest claims go first)', async () => {
    const store = memoryDedupe({ maxKeys: 2 });
    for (const key of ['a', 'b', 'c']) {
      const claim = await store.claim([key], 1_000);
      if (claim.status === 'new') await store.complete([key], claim.token, 60_000);
    }
    const statuses = [];
    for (const key of ['c', 'b', 'a']) statuses.push((await store.claim([key], 1_000)).status);
    expect(statuses).toEqual(['duplicate', 'duplicate', 'new']);
  });
});
