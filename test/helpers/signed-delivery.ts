// One delivery as Pictify sends it: a sample event of `event`, signed now with `secret`, POSTed with its
// X-Pictify-Delivery-Id (the event's own data.deliveryId is the same id, word characters only).
import { buildSampleEvent, type EventName } from '../../src/events/index.js';
import { signPayload } from '../../src/signing/index.js';

export interface Answer {
  status: number;
  body: string;
  /** From sending to the whole answer, in ms. */
  ms: number;
}

export async function postSignedDelivery(
  url: string,
  options: { secret: string; deliveryId: string; event?: EventName; timeoutMs?: number },
): Promise<Answer> {
  const { secret, deliveryId, event = 'render.completed', timeoutMs = 20_000 } = options;
  const body = JSON.stringify(buildSampleEvent(event, { deliveryId: deliveryId.replace(/\W/g, '_') }));
  const signature = signPayload({ payload: body, secret, timestamp: Math.floor(Date.now() / 1000) });
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'x-pictify-signature': signature,
      'x-pictify-delivery-id': deliveryId,
    },
    signal: AbortSignal.timeout(timeoutMs),
  });
  return { status: response.status, body: await response.text(), ms: performance.now() - started };
}
