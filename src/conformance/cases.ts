// The check suite as data: every case says what it sends and what a correct receiver answers. Requests are built
// just before sending (build(nowMs)) so timestamps are fresh even when earlier cases were slow. Pure apart from
// node:crypto; randomness (delivery ids, the foreign secret) is injected so tests can pin it.
import { createHmac, randomBytes } from 'node:crypto';
import { buildDelivery, newDeliveryId, type SignedRequest } from '../outbound/build.js';
import { buildSampleEvent, type EventName } from '../events/index.js';
import { DEFAULT_TOLERANCE_SECONDS, signPayload } from '../signing/index.js';

export type Expectation = '2xx' | '4xx';

export interface CaseDefinition {
  id: string;
  name: string;
  expected: Expectation;
  /** Correctly signed deliveries: they count for the slow-answer check. */
  valid: boolean;
  /** What was sent, for messages ("a v1 of the wrong length"). */
  sent: string;
  build(nowMs: number): SignedRequest[];
}

export interface SuiteOptions {
  /** Events of the "valid" cases, in order. */
  events: readonly EventName[];
  /** Event whose sample carries the negative cases. */
  negativeEvent: EventName;
  secret: string;
  newDeliveryId?: () => string;
  /** A secret that is not the receiver's (wrong secret, the stale v1 of the rotation case). */
  foreignSecret?: string;
}

/** One second past the tolerance, the smallest skew every correct receiver must refuse. */
export const SKEW_SECONDS = DEFAULT_TOLERANCE_SECONDS + 1;

/** Id of the computed row that flags slow answers to valid deliveries (no request of its own). */
export const SLOW_CASE_ID = 'slow-answer';

interface Sample {
  event: EventName;
  deliveryId: string;
  body: Buffer;
}

function unixSeconds(nowMs: number): number {
  return Math.floor(nowMs / 1000);
}

/** HMAC over an arbitrary `t` string: computeSignature rightly refuses non-numeric timestamps, this case needs one. */
function signRawTimestamp(secret: string, rawTimestamp: string, body: Buffer): string {
  return createHmac('sha256', secret).update(`${rawTimestamp}.`, 'utf8').update(body).digest('hex');
}

/** Same length, still valid JSON, different content: flips the last hex digit of the delivery id in the body. */
export function tamperBody(body: Buffer, deliveryId: string): Buffer {
  const text = body.toString('utf8');
  const at = text.lastIndexOf(deliveryId);
  if (at < 0) throw new Error('tamperBody: the delivery id is not in the body');
  const i = at + deliveryId.length - 1;
  const replacement = text[i] === '0' ? '1' : '0';
  return Buffer.from(text.slice(0, i) + replacement + text.slice(i + 1), 'utf8');
}

/** Same JSON value, other bytes: what a framework's parse-then-stringify produces differs from the wire. */
export function reserializeBody(body: Buffer): Buffer {
  const pretty = Buffer.from(JSON.stringify(JSON.parse(body.toString('utf8')), null, 2), 'utf8');
  if (pretty.equals(body)) throw new Error('reserializeBody: re-serializing gives the same bytes');
  return pretty;
}

export function buildSuite(options: SuiteOptions): CaseDefinition[] {
  const m = requestMakers(options);
  return [
    ...options.events.map((event) => validCase(event, m)),
    ...negativeCases(m),
    rotationCase(options.negativeEvent, m),
    duplicateCase(options.negativeEvent, m),
  ];
}

/** How the cases build their requests: fresh samples, signed with the receiver's secret or another. */
interface RequestMakers {
  secret: string;
  foreign: string;
  sample(event: EventName, nowMs: number): Sample;
  signed(s: Sample, timestamp: number, key?: string | string[]): SignedRequest;
  /** Unsigned, then given this X-Pictify-Signature (none when undefined). */
  withHeader(s: Sample, header: string | undefined, body?: Buffer): SignedRequest;
  /** A case a correct receiver refuses with a 4xx, built on a sample of the negative event. */
  negative(id: string, name: string, sent: string, make: (s: Sample, nowMs: number) => SignedRequest): CaseDefinition;
}

function requestMakers(options: SuiteOptions): RequestMakers {
  const nextId = options.newDeliveryId ?? newDeliveryId;
  const foreign = options.foreignSecret ?? `whsec_${randomBytes(24).toString('base64url')}`;
  const { secret } = options;
  const sample = (event: EventName, nowMs: number): Sample => {
    const deliveryId = nextId();
    return {
      event,
      deliveryId,
      body: Buffer.from(JSON.stringify(buildSampleEvent(event, { deliveryId, now: nowMs })), 'utf8'),
    };
  };
  return {
    secret,
    foreign,
    sample,
    signed: (s, timestamp, key = secret) =>
      buildDelivery({ body: s.body, secret: key, timestamp, event: s.event, deliveryId: s.deliveryId }),
    withHeader: (s, header, body = s.body) => {
      const request = buildDelivery({ body, timestamp: 0, event: s.event, deliveryId: s.deliveryId });
      if (header !== undefined) request.headers['x-pictify-signature'] = header;
      return request;
    },
    negative: (id, name, sent, make) => ({
      id,
      name,
      expected: '4xx',
      valid: false,
      sent,
      build: (nowMs) => [make(sample(options.negativeEvent, nowMs), nowMs)],
    }),
  };
}

function validCase(event: EventName, { sample, signed }: RequestMakers): CaseDefinition {
  return {
    id: `valid:${event}`,
    name: `valid: ${event}`,
    expected: '2xx',
    valid: true,
    sent: `a correctly signed ${event} delivery`,
    build: (nowMs) => [signed(sample(event, nowMs), unixSeconds(nowMs))],
  };
}

function negativeCases({ secret, foreign, signed, withHeader, negative }: RequestMakers): CaseDefinition[] {
  return [
    negative('tampered-body', 'tampered body', 'a body with one byte changed after signing', (s, nowMs) => {
      const request = signed(s, unixSeconds(nowMs));
      return { ...request, body: tamperBody(s.body, s.deliveryId) };
    }),
    negative('wrong-secret', 'wrong secret', 'a delivery signed with another secret', (s, nowMs) =>
      signed(s, unixSeconds(nowMs), foreign),
    ),
    negative(
      'stale-timestamp',
      'stale timestamp',
      `a correctly signed delivery with t = now − ${SKEW_SECONDS} s`,
      (s, nowMs) => signed(s, unixSeconds(nowMs) - SKEW_SECONDS),
    ),
    // ceil, not floor: the receiver reads its clock a moment later, and must still see t more than 300 s ahead.
    negative(
      'future-timestamp',
      'future timestamp',
      `a correctly signed delivery with t = now + ${SKEW_SECONDS} s`,
      (s, nowMs) => signed(s, Math.ceil(nowMs / 1000) + SKEW_SECONDS),
    ),
    negative('missing-header', 'missing header', 'a delivery without X-Pictify-Signature', (s) =>
      withHeader(s, undefined),
    ),
    negative('malformed-header:garbage', 'malformed header: garbage', 'a garbage X-Pictify-Signature', (s) =>
      withHeader(s, 'garbage'),
    ),
    negative('malformed-header:empty-v1', 'malformed header: empty v1', 'an empty v1=', (s, nowMs) =>
      withHeader(s, `t=${unixSeconds(nowMs)},v1=`),
    ),
    // Signed over "undefined.<body>": exactly what `${parts.t}.${body}` computes when t is missing and nobody checks.
    negative('malformed-header:no-t', 'malformed header: no t', 'a header without t=', (s) =>
      withHeader(s, `v1=${signRawTimestamp(secret, 'undefined', s.body)}`),
    ),
    // Correctly signed over "abc.<body>": Number('abc') is NaN, and |now − NaN| > 300 is false, so a naive
    // timestamp check lets it through.
    negative('malformed-header:non-numeric-t', 'malformed header: non-numeric t', 'a non-numeric t=', (s) =>
      withHeader(s, `t=abc,v1=${signRawTimestamp(secret, 'abc', s.body)}`),
    ),
    // The first half of the right signature: catches both timingSafeEqual crashes and prefix comparisons.
    negative('short-signature', 'short signature', 'a v1 of the wrong length', (s, nowMs) => {
      const t = unixSeconds(nowMs);
      const full = signPayload({ payload: s.body, secret, timestamp: t }).split('v1=')[1];
      return withHeader(s, `t=${t},v1=${full.slice(0, full.length / 2)}`);
    }),
    negative(
      'reserialized-body',
      're-serialized body',
      'the same JSON with other whitespace under the original signature',
      (s, nowMs) => {
        const request = signed(s, unixSeconds(nowMs));
        return { ...request, body: reserializeBody(s.body) };
      },
    ),
  ];
}

function rotationCase(event: EventName, { secret, foreign, sample, signed }: RequestMakers): CaseDefinition {
  return {
    id: 'rotation',
    name: 'rotation',
    expected: '2xx',
    valid: true,
    sent: 'a header with two v1, only the second valid',
    build: (nowMs) => [signed(sample(event, nowMs), unixSeconds(nowMs), [foreign, secret])],
  };
}

function duplicateCase(event: EventName, { sample, signed }: RequestMakers): CaseDefinition {
  return {
    id: 'duplicate-delivery',
    name: 'duplicate delivery',
    expected: '2xx',
    valid: true,
    sent: 'the same delivery id twice',
    build: (nowMs) => {
      const s = sample(event, nowMs);
      const request = signed(s, unixSeconds(nowMs));
      return [request, { body: request.body, headers: { ...request.headers } }];
    },
  };
}
