// The self-test: before listen says Ready, one signed delivery goes out through the public URL and must come back
// in through listen. A tunnel that is "up" but not routing is the usual cause of "Ready, but nothing arrives".
// It is signed with a secret made for this run only (no one else can produce a delivery that passes as one),
// marked with a header so listen stores it but does not forward it, and waited for by its delivery id.
import { randomBytes } from 'node:crypto';
import { buildSampleEvent } from '../../events/build.js';
import type { EventName } from '../../events/names.js';
import { buildDelivery, newDeliveryId } from '../../outbound/build.js';
import { postDelivery } from '../../outbound/post.js';
import type { EventRecord } from '../../store/event-store-record.js';

import { SELF_TEST_HEADER } from './marker.js';

export { SELF_TEST_HEADER };
const DEFAULT_WAIT_MS = 10_000;

export interface SelfTestResult {
  ok: boolean;
  latencyMs: number;
  /** What the sender saw through the tunnel. */
  status?: number;
  /** Why it failed, in words. */
  problem?: string;
}

export function isSelfTest(headers: Record<string, string | string[] | undefined>): boolean {
  return headers[SELF_TEST_HEADER] !== undefined;
}

export class SelfTest {
  /** Add to the receiver's secrets while the self-test runs. */
  readonly secret = `whsec_selftest_${randomBytes(24).toString('hex')}`;
  readonly #waiting = new Map<string, (record: EventRecord) => void>();
  readonly #arrived = new Map<string, EventRecord>();

  /** listen hands every delivery here first: true means it was the self-test (do not show or count it). */
  accept(record: EventRecord): boolean {
    if (!isSelfTest(record.headers)) return false;
    if (record.deliveryId === null) return true;
    const waiter = this.#waiting.get(record.deliveryId);
    if (waiter) waiter(record);
    else this.#arrived.set(record.deliveryId, record);
    return true;
  }

  /** `event`: a subscribed one, so the sample passes listen's checks (even --strict) like a real delivery. */
  async run(
    targetUrl: string,
    options: { event: EventName; waitMs?: number; nowMs?: number },
  ): Promise<SelfTestResult> {
    const waitMs = options.waitMs ?? DEFAULT_WAIT_MS;
    const deliveryId = newDeliveryId();
    const nowMs = options.nowMs ?? Date.now();
    const started = performance.now();
    const request = buildDelivery({
      body: JSON.stringify(buildSampleEvent(options.event, { now: nowMs, deliveryId })),
      secret: this.secret,
      timestamp: Math.floor(nowMs / 1000),
      event: options.event,
      deliveryId,
      extraHeaders: { [SELF_TEST_HEADER]: '1' },
    });
    const arrival = new Promise<EventRecord | undefined>((resolve) => {
      const early = this.#arrived.get(deliveryId);
      if (early) return resolve(early);
      this.#waiting.set(deliveryId, resolve);
    });
    const posted = await postDelivery(targetUrl, request, { timeoutMs: waitMs });
    const latencyMs = Math.round(performance.now() - started);
    // listen reports a delivery after answering it, so an answer through the tunnel means the record is due.
    const record = posted.error
      ? undefined
      : await Promise.race([arrival, new Promise<undefined>((r) => setTimeout(r, 3_000))]);
    this.#waiting.delete(deliveryId);
    if (posted.error) return { ok: false, latencyMs, problem: posted.error.message };
    if (!record) {
      return {
        ok: false,
        latencyMs,
        status: posted.status,
        problem: `the tunnel answered ${posted.status}${snippet(posted.body)} but the delivery never reached listen`,
      };
    }
    if (!record.verdict.ok) {
      return {
        ok: false,
        latencyMs,
        status: posted.status,
        problem: `it reached listen altered: ${record.verdict.reason ?? 'rejected'} (${record.status})`,
      };
    }
    return { ok: true, latencyMs, status: posted.status };
  }
}

function snippet(body: string): string {
  const text = body
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text ? ` ("${text.slice(0, 80)}")` : '';
}
