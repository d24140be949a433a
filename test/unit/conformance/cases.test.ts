import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildSuite, reserializeBody, tamperBody, type CaseDefinition } from '../../../src/conformance/index.js';
import type { SignedRequest } from '../../../src/outbound/build.js';
import { EVENT_NAMES } from '../../../src/events/index.js';
import { assertSignature } from '../../../src/signing/index.js';

const SECRET = 'whsec_unit_secret';
const NOW_MS = Date.UTC(2026, 0, 29, 10, 30, 0) + 400; // not on a whole second: floor and ceil differ
const NOW_S = Math.floor(NOW_MS / 1000);

function counterIds(): () => string {
  let n = 0;
  return () => `del_${String(++n).padStart(4, '0')}`;
}

function suite(overrides: Partial<Parameters<typeof buildSuite>[0]> = {}): CaseDefinition[] {
  return buildSuite({
    events: EVENT_NAMES,
    negativeEvent: 'render.completed',
    secret: SECRET,
    foreignSecret: 'whsec_other',
    newDeliveryId: counterIds(),
    ...overrides,
  });
}

function one(id: string, cases = suite()): SignedRequest {
  const c = cases.find((x) => x.id === id);
  if (!c) throw new Error(`no case ${id}`);
  const [request] = c.build(NOW_MS);
  return request;
}

const verify = (r: SignedRequest, now = NOW_S) =>
  assertSignature({ payload: r.body, header: r.headers['x-pictify-signature'], secrets: [SECRET], now });

const hmac = (t: string, body: Buffer) => createHmac('sha256', SECRET).update(`${t}.`).update(body).digest('hex');

describe('buildSuite', () => {
  it('lists the cases in the documented order with their expectations', () => {
    expect(suite().map((c) => `${c.id}=${c.expected}`)).toEqual([
      ...EVENT_NAMES.map((e) => `valid:${e}=2xx`),
      'tampered-body=4xx',
      'wrong-secret=4xx',
      'stale-timestamp=4xx',
      'future-timestamp=4xx',
      'missing-header=4xx',
      'malformed-header:garbage=4xx',
      'malformed-header:empty-v1=4xx',
      'malformed-header:no-t=4xx',
      'malformed-header:non-numeric-t=4xx',
      'short-signature=4xx',
      'reserialized-body=4xx',
      'rotation=2xx',
      'duplicate-delivery=2xx',
    ]);
  });

  it('valid cases are correctly signed samples of their event with a fresh delivery id each', () => {
    const cases = suite();
    const ids = new Set<string>();
    for (const event of EVENT_NAMES) {
      const request = one(`valid:${event}`, cases);
      expect(verify(request).timestamp).toBe(NOW_S);
      const body = JSON.parse(request.body.toString('utf8')) as { event: string; data: { deliveryId: string } };
      expect(body.event).toBe(event);
      expect(request.headers['x-pictify-event']).toBe(event);
      expect(body.data.deliveryId).toBe(request.headers['x-pictify-delivery-id']);
      ids.add(body.data.deliveryId);
    }
    expect(ids.size).toBe(EVENT_NAMES.length);
  });

  it('--event narrows the valid cases and the sample of the negative ones', () => {
    const cases = suite({ events: ['binding.failed'], negativeEvent: 'binding.failed' });
    expect(cases.filter((c) => c.id.startsWith('valid:')).map((c) => c.id)).toEqual(['valid:binding.failed']);
    for (const c of cases) for (const r of c.build(NOW_MS)) expect(r.headers['x-pictify-event']).toBe('binding.failed');
  });

  it('tampered body: same header, same length, one byte changed, still JSON', () => {
    const r = one('tampered-body');
    const t = Number(/t=(\d+)/.exec(r.headers['x-pictify-signature'])?.[1]);
    expect(t).toBe(NOW_S);
    expect(() => verify(r)).toThrow(expect.objectContaining({ reason: 'signature_mismatch' }));
    const original = JSON.stringify(JSON.parse(r.body.toString('utf8')));
    expect(original.length).toBe(r.body.length);
    // the header's v1 matches the untampered body, which differs from the sent one in exactly one byte
    const id = r.headers['x-pictify-delivery-id'];
    const restored = Buffer.from(r.body.toString('utf8').replace(/"deliveryId":"[^"]+"/, `"deliveryId":"${id}"`));
    expect(verify({ ...r, body: restored }).timestamp).toBe(NOW_S);
    expect([...restored].filter((b, i) => b !== r.body[i])).toHaveLength(1);
  });

  it('wrong secret verifies with the foreign secret only', () => {
    const r = one('wrong-secret');
    expect(() => verify(r)).toThrow(expect.objectContaining({ reason: 'signature_mismatch' }));
    expect(
      assertSignature({
        payload: r.body,
        header: r.headers['x-pictify-signature'],
        secrets: ['whsec_other'],
        now: NOW_S,
      }).timestamp,
    ).toBe(NOW_S);
  });

  it('stale and future timestamps are correctly signed 301 s outside the window, even a moment later', () => {
    const stale = one('stale-timestamp');
    const future = one('future-timestamp');
    expect(verify(stale, NOW_S - 301).timestamp).toBe(NOW_S - 301);
    expect(verify(future, NOW_S + 302).timestamp).toBe(NOW_S + 302);
    // the receiver reads its clock after we built the request: the next second must still be out of tolerance
    for (const receiverNow of [NOW_S, NOW_S + 1]) {
      expect(() => verify(stale, receiverNow)).toThrow(expect.objectContaining({ reason: 'timestamp_too_old' }));
      expect(() => verify(future, receiverNow)).toThrow(expect.objectContaining({ reason: 'timestamp_in_future' }));
    }
  });

  it('missing header sends no signature; malformed variants send the documented garbage', () => {
    expect(one('missing-header').headers).not.toHaveProperty('x-pictify-signature');
    expect(one('malformed-header:garbage').headers['x-pictify-signature']).toBe('garbage');
    expect(one('malformed-header:empty-v1').headers['x-pictify-signature']).toBe(`t=${NOW_S},v1=`);
    const noT = one('malformed-header:no-t');
    expect(noT.headers['x-pictify-signature']).toBe(`v1=${hmac('undefined', noT.body)}`);
    const nonNumeric = one('malformed-header:non-numeric-t');
    expect(nonNumeric.headers['x-pictify-signature']).toBe(`t=abc,v1=${hmac('abc', nonNumeric.body)}`);
    for (const id of [
      'malformed-header:garbage',
      'malformed-header:empty-v1',
      'malformed-header:no-t',
      'malformed-header:non-numeric-t',
    ]) {
      expect(() => verify(one(id))).toThrow();
    }
  });

  it('short signature is a prefix of the right one, of the wrong length', () => {
    const r = one('short-signature');
    const [, v1] = r.headers['x-pictify-signature'].split(',v1=');
    expect(v1).toHaveLength(32);
    expect(hmac(String(NOW_S), r.body).startsWith(v1)).toBe(true);
  });

  it('re-serialized body parses to the same JSON but is other bytes under the original signature', () => {
    const r = one('reserialized-body');
    expect(() => verify(r)).toThrow(expect.objectContaining({ reason: 'signature_mismatch' }));
    const compact = Buffer.from(JSON.stringify(JSON.parse(r.body.toString('utf8'))));
    expect(compact.equals(r.body)).toBe(false);
    expect(verify({ ...r, body: compact }).timestamp).toBe(NOW_S);
  });

  it('rotation carries two v1, only the second valid', () => {
    const r = one('rotation');
    const v1s = r.headers['x-pictify-signature'].split(',').filter((p) => p.startsWith('v1='));
    expect(v1s).toHaveLength(2);
    expect(v1s[1]).toBe(`v1=${hmac(String(NOW_S), r.body)}`);
    expect(v1s[0]).not.toBe(v1s[1]);
    expect(verify(r).matchedSecretIndex).toBe(0);
  });

  it('duplicate delivery sends the same signed delivery twice', () => {
    const c = suite().find((x) => x.id === 'duplicate-delivery');
    const requests = c?.build(NOW_MS) ?? [];
    expect(requests).toHaveLength(2);
    expect(requests[0].headers).toEqual(requests[1].headers);
    expect(requests[0].body.equals(requests[1].body)).toBe(true);
    expect(verify(requests[1]).timestamp).toBe(NOW_S);
  });

  it('builds fresh requests on every call', () => {
    const c = suite()[0];
    const [a] = c.build(NOW_MS);
    const [b] = c.build(NOW_MS + 5000);
    expect(a.headers['x-pictify-delivery-id']).not.toBe(b.headers['x-pictify-delivery-id']);
    expect(b.headers['x-pictify-signature']).toMatch(new RegExp(`^t=${NOW_S + 5},`));
  });
});

describe('tamperBody / reserializeBody', () => {
  it('tamperBody changes the last digit of the delivery id, and refuses a body without it', () => {
    expect(tamperBody(Buffer.from('{"id":"del_a0"}'), 'del_a0').toString()).toBe('{"id":"del_a1"}');
    expect(tamperBody(Buffer.from('{"id":"del_a7"}'), 'del_a7').toString()).toBe('{"id":"del_a0"}');
    expect(() => tamperBody(Buffer.from('{}'), 'del_x')).toThrow(/not in the body/);
  });

  it('reserializeBody pretty-prints and refuses a body it cannot change', () => {
    expect(reserializeBody(Buffer.from('{"a":[1,2]}')).toString()).toBe('{\n  "a": [\n    1,\n    2\n  ]\n}');
    expect(() => reserializeBody(Buffer.from('1'))).toThrow(/same bytes/);
  });
});
