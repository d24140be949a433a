import { describe, expect, it } from 'vitest';
import { checkDelivery, isJsonContentType, type CheckRules } from '../../../src/receiver/index.js';
import { SECRET, signedSample } from './deliver.js';
import { flagSource, subscriptionSource } from '../../../src/signing/secret-source.js';

const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);
const rules: CheckRules = {
  secrets: [{ secret: SECRET, source: subscriptionSource('wh_1') }],
  toleranceSeconds: 300,
  maxBodyBytes: 4096,
  strict: false,
};

function check(
  overrides: Partial<{ method: string; url: string; headers: Record<string, string>; body: Buffer }> = {},
  r: CheckRules = rules,
  now = NOW,
) {
  const signed = signedSample('render.completed', { nowMs: NOW, deliveryId: 'del_1' });
  return checkDelivery(
    r,
    { method: 'POST', url: '/hooks', headers: signed.headers, body: signed.body, ...overrides },
    now,
  );
}

describe('checkDelivery — the check order', () => {
  it('accepts a correctly signed sample and names the secret that matched', () => {
    const outcome = check();
    expect(outcome.answer).toEqual({ status: 200, body: '{"received":true}' });
    expect(outcome.verdict).toEqual({ ok: true, matchedLabel: 'wh_1' });
    expect(outcome.event).toBe('render.completed');
    expect(outcome.deliveryId).toBe('del_1');
  });

  it('404 on another path when a path is set (query strings and a trailing slash do not matter)', () => {
    const withPath = { ...rules, path: '/webhooks/pictify' };
    expect(check({ url: '/other' }, withPath).answer.status).toBe(404);
    expect(check({ url: '/webhooks/pictify?x=1' }, withPath).answer.status).toBe(200);
    expect(check({ url: '/webhooks/pictify/' }, withPath).answer.status).toBe(200);
  });

  it('405 with Allow: POST for other methods, even with a wrong path absent', () => {
    const outcome = check({ method: 'GET' });
    expect(outcome.answer.status).toBe(405);
    expect(outcome.answer.headers).toEqual({ allow: 'POST' });
    expect(JSON.parse(outcome.answer.body).error).toBe('method_not_allowed');
  });

  it('path is checked before method', () => {
    expect(check({ method: 'GET', url: '/nope' }, { ...rules, path: '/hooks' }).verdict.reason).toBe('path_not_found');
  });

  it('415 when the content type is not JSON; +json and charset are fine', () => {
    const signed = signedSample('render.completed', { nowMs: NOW });
    expect(
      check({ headers: { ...signed.headers, 'content-type': 'text/plain' }, body: signed.body }).answer.status,
    ).toBe(415);
    expect(check({ headers: { ...signed.headers, 'content-type': '' }, body: signed.body }).answer.status).toBe(415);
    expect(isJsonContentType('application/json; charset=utf-8')).toBe(true);
    expect(isJsonContentType('application/vnd.pictify+json')).toBe(true);
    expect(isJsonContentType('application/jsonp')).toBe(false);
  });

  it('413 when the body is over the limit, before any signature work', () => {
    const outcome = check({ body: Buffer.alloc(5000, 0x20), headers: { 'content-type': 'application/json' } });
    expect(outcome.answer.status).toBe(413);
    expect(outcome.verdict.reason).toBe('payload_too_large');
  });

  it('400 when the signature header is missing or malformed', () => {
    const signed = signedSample('render.completed', { nowMs: NOW });
    const { 'x-pictify-signature': _, ...unsigned } = signed.headers;
    expect(check({ headers: unsigned, body: signed.body }).verdict.reason).toBe('missing_header');
    expect(
      check({ headers: { ...signed.headers, 'x-pictify-signature': 'garbage' }, body: signed.body }).answer.status,
    ).toBe(400);
    expect(
      check({ headers: { ...signed.headers, 'x-pictify-signature': 't=abc,v1=00' }, body: signed.body }).verdict.reason,
    ).toBe('missing_timestamp');
  });

  it('401 timestamp_too_old / timestamp_in_future outside the tolerance, for genuine deliveries only', () => {
    const stale = check({}, rules, NOW + 301_000);
    expect(stale.answer.status).toBe(401);
    expect(stale.verdict.reason).toBe('timestamp_too_old');
    expect(check({}, rules, NOW - 301_000).verdict.reason).toBe('timestamp_in_future');
    expect(check({}, rules, NOW + 299_000).answer.status).toBe(200);
  });

  it('a forged header with an old timestamp is signature_mismatch, as in the library (was timestamp_too_old)', () => {
    const forged = signedSample('render.completed', { nowMs: NOW, secret: 'whsec_other' });
    const outcome = check({ headers: forged.headers, body: forged.body }, rules, NOW + 400_000);
    expect(outcome.verdict.reason).toBe('signature_mismatch');
    expect(outcome.answer.status).toBe(401);
  });

  it('a correctly signed body that is not UTF-8 is invalid_json 400, as constructEvent says (was 200)', () => {
    const body = Buffer.concat([
      Buffer.from('{"event":"render.completed","data":{"url":"'),
      Buffer.from([0xff]),
      Buffer.from('"}}'),
    ]);
    const signed = signedSample('render.completed', { nowMs: NOW, body });
    const outcome = check({ headers: signed.headers, body: signed.body });
    expect(outcome.verdict).toMatchObject({ ok: false, reason: 'invalid_json' });
    expect(outcome.answer.status).toBe(400);
  });

  it('a v1 of CJK characters whose low bytes spell the digest does not verify (it used to)', () => {
    const signed = signedSample('render.completed', { nowMs: NOW });
    const [t, v1] = signed.headers['x-pictify-signature'].split(',');
    const cjk = [...v1.slice(3)].map((c) => String.fromCharCode(0x4e00 | c.charCodeAt(0))).join('');
    const outcome = check({
      headers: { ...signed.headers, 'x-pictify-signature': `${t},v1=${cjk}` },
      body: signed.body,
    });
    expect(outcome.verdict.reason).toBe('signature_mismatch');
  });

  it('names the secret that matched by its position in the list', () => {
    const signed = signedSample('render.completed', { nowMs: NOW, secret: 'whsec_third' });
    const three: CheckRules = {
      ...rules,
      secrets: [
        { secret: 'whsec_a', source: flagSource() },
        { secret: 'whsec_b' },
        { secret: 'whsec_third', source: subscriptionSource('wh_3') },
      ],
    };
    expect(check({ headers: signed.headers, body: signed.body }, three).verdict).toEqual({
      ok: true,
      matchedLabel: 'wh_3',
    });
  });

  it('401 signature_mismatch with the wrong secret or a changed body; any of several secrets may match', () => {
    const signed = signedSample('render.completed', { nowMs: NOW, secret: 'whsec_other' });
    expect(check({ headers: signed.headers, body: signed.body }).verdict.reason).toBe('signature_mismatch');
    const good = signedSample('render.completed', { nowMs: NOW });
    const tampered = Buffer.from(good.body.toString().replace('image', 'video'));
    expect(check({ headers: good.headers, body: tampered }).answer.status).toBe(401);
    const two: CheckRules = {
      ...rules,
      secrets: [
        { secret: 'whsec_a', source: subscriptionSource('wh_a') },
        { secret: 'whsec_other', source: subscriptionSource('wh_b') },
      ],
    };
    expect(check({ headers: signed.headers, body: signed.body }, two).verdict.matchedLabel).toBe('wh_b');
  });

  it('400 invalid_json only after the signature verified', () => {
    const signed = signedSample('render.completed', { nowMs: NOW, body: '{"event": ' });
    const outcome = check({ headers: signed.headers, body: signed.body });
    expect(outcome.answer.status).toBe(400);
    expect(outcome.verdict.reason).toBe('invalid_json');
    const unsigned = signedSample('render.completed', { nowMs: NOW, body: '{"event": ', secret: 'whsec_other' });
    expect(check({ headers: unsigned.headers, body: unsigned.body }).verdict.reason).toBe('signature_mismatch');
  });

  it('a payload failing the validator is accepted with warnings, or 422 with strict', () => {
    const body = JSON.stringify({
      event: 'render.completed',
      timestamp: '2026-11-26T12:00:00Z',
      data: { type: 'image', url: 42, newField: true },
    });
    const signed = signedSample('render.completed', { nowMs: NOW, body });
    const lenient = check({ headers: signed.headers, body: signed.body });
    expect(lenient.answer.status).toBe(200);
    expect(lenient.verdict.ok).toBe(true);
    expect(lenient.verdict.warnings).toEqual([expect.stringContaining('data.url')]);
    const strict = check({ headers: signed.headers, body: signed.body }, { ...rules, strict: true });
    expect(strict.answer.status).toBe(422);
    expect(strict.verdict).toMatchObject({ ok: false, reason: 'invalid_payload', matchedLabel: 'wh_1' });
  });

  it('warns when the X-Pictify-Event header and the body disagree', () => {
    const signed = signedSample('render.completed', { nowMs: NOW });
    const outcome = check({ headers: { ...signed.headers, 'x-pictify-event': 'render.failed' }, body: signed.body });
    expect(outcome.verdict.warnings).toEqual([expect.stringContaining('X-Pictify-Event says render.failed')]);
  });

  it('answers name the reason in JSON and never echo the secret', () => {
    const signed = signedSample('render.completed', { nowMs: NOW, secret: 'whsec_other' });
    const outcome = check({ headers: signed.headers, body: signed.body });
    expect(JSON.parse(outcome.answer.body)).toMatchObject({ error: 'signature_mismatch' });
    expect(outcome.answer.body).not.toContain(SECRET);
  });
});
