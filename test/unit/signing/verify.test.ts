import { describe, expect, it } from 'vitest';
import {
  assertSignature,
  computeSignature,
  signPayload,
  verifyDelivery,
  verifySignature,
  WebhookVerificationError,
  type VerificationReason,
  type VerifyFailure,
  type VerifyOptions,
} from '../../../src/signing/index.js';

const NOW = 1_700_000_000;
const SECRET = 'whsec_test_secret';
const BODY = '{"event":"render.completed","timestamp":"2026-01-29T10:30:00Z","data":{"type":"image","url":"u"}}';

function signed(timestamp = NOW, secret: string | string[] = SECRET, payload: string | Uint8Array = BODY): string {
  return signPayload({ payload, secret, timestamp });
}

function failure(options: VerifyOptions): VerifyFailure {
  const result = verifySignature(options);
  if (result.ok) throw new Error('expected verifySignature to fail');
  return result;
}

function reasonOf(options: VerifyOptions): VerificationReason {
  return failure(options).reason;
}

const accepted = (options: VerifyOptions) => verifySignature(options).ok;

describe('verifySignature: one test per failure reason, each with its suggested status', () => {
  it.each<[string, VerifyOptions, VerificationReason, number]>([
    ['missing header', { payload: BODY, header: undefined, secrets: SECRET, now: NOW }, 'missing_header', 400],
    ['garbage header', { payload: BODY, header: 'garbage', secrets: SECRET, now: NOW }, 'malformed_header', 400],
    [
      'no t=',
      { payload: BODY, header: `v1=${computeSignature(SECRET, NOW, BODY)}`, secrets: SECRET, now: NOW },
      'missing_timestamp',
      400,
    ],
    ['no v1', { payload: BODY, header: `t=${NOW},v0=abc`, secrets: SECRET, now: NOW }, 'no_signatures', 400],
    ['stale', { payload: BODY, header: signed(NOW - 301), secrets: SECRET, now: NOW }, 'timestamp_too_old', 401],
    ['future', { payload: BODY, header: signed(NOW + 301), secrets: SECRET, now: NOW }, 'timestamp_in_future', 401],
    ['wrong secret', { payload: BODY, header: signed(), secrets: 'whsec_other', now: NOW }, 'signature_mismatch', 401],
    ['tampered body', { payload: `${BODY} `, header: signed(), secrets: SECRET, now: NOW }, 'signature_mismatch', 401],
    [
      'a parsed object instead of the raw body',
      { payload: JSON.parse(BODY) as string, header: signed(), secrets: SECRET, now: NOW },
      'invalid_payload',
      400,
    ],
  ])('%s', (_name, options, reason, status) => {
    expect(failure(options)).toMatchObject({ ok: false, reason, status });
  });

  it('says how old or early the timestamp is, and keeps the t it read', () => {
    expect(failure({ payload: BODY, header: signed(NOW - 400), secrets: SECRET, now: NOW })).toMatchObject({
      message: expect.stringContaining('signed 400 s ago'),
      timestamp: NOW - 400,
    });
    expect(failure({ payload: BODY, header: signed(NOW + 400), secrets: SECRET, now: NOW }).message).toContain(
      '400 s in the future',
    );
  });

  it('says when now looks like milliseconds (Date.now())', () => {
    const result = failure({ payload: BODY, header: signed(), secrets: SECRET, now: NOW * 1000 });
    expect(result.reason).toBe('timestamp_too_old');
    expect(result.message).toMatch(/milliseconds/);
  });

  it('messages carry no CLI advice and never the secret', () => {
    const cases: VerifyOptions[] = [
      { payload: BODY, header: undefined, secrets: SECRET, now: NOW },
      { payload: BODY, header: signed(NOW - 1000), secrets: SECRET, now: NOW },
      { payload: BODY, header: signed(), secrets: 'whsec_other', now: NOW },
      { payload: BODY, header: signed(), secrets: [], now: NOW },
    ];
    for (const options of cases) {
      const { message } = failure(options);
      expect(message).not.toMatch(/--\w|pictify-hooks |PICTIFY_/);
      expect(message).not.toContain(SECRET);
    }
  });

  it('assertSignature throws the failure as a WebhookVerificationError with its data', () => {
    expect(() => assertSignature({ payload: BODY, header: signed(NOW - 400), secrets: SECRET, now: NOW })).toThrow(
      expect.objectContaining({ name: 'WebhookVerificationError', reason: 'timestamp_too_old', status: 401 }),
    );
    try {
      assertSignature({ payload: BODY, header: 'x', secrets: SECRET, now: NOW });
    } catch (error) {
      expect(error).toBeInstanceOf(WebhookVerificationError);
      expect(error).not.toHaveProperty('exitCode');
    }
  });
});

describe('verifySignature: tolerance', () => {
  const at = (offset: number, toleranceSeconds?: number) =>
    verifySignature({ payload: BODY, header: signed(NOW + offset), secrets: SECRET, now: NOW, toleranceSeconds });
  const reasonAt = (offset: number, toleranceSeconds?: number) => {
    const result = at(offset, toleranceSeconds);
    return result.ok ? 'accepted' : result.reason;
  };

  it('accepts 299 s old and 299 s early, and exactly 300 s', () => {
    for (const offset of [-299, 299, -300, 300, 0]) expect(reasonAt(offset)).toBe('accepted');
  });
  it('rejects 301 s old and 301 s in the future', () => {
    expect(reasonAt(-301)).toBe('timestamp_too_old');
    expect(reasonAt(301)).toBe('timestamp_in_future');
  });
  it.each([
    ['0', 0],
    ['NaN', Number.NaN],
    ['undefined', undefined],
    ['negative', -5],
    ['-Infinity', Number.NEGATIVE_INFINITY],
  ])('tolerance %s does not disable the check (means 300 s)', (_name, tolerance) => {
    expect(reasonAt(-301, tolerance)).toBe('timestamp_too_old');
    expect(reasonAt(301, tolerance)).toBe('timestamp_in_future');
    expect(reasonAt(-299, tolerance)).toBe('accepted');
  });
  it('Infinity disables the check', () => {
    expect(reasonAt(-10 * 365 * 86400, Number.POSITIVE_INFINITY)).toBe('accepted');
    expect(reasonAt(10 * 365 * 86400, Number.POSITIVE_INFINITY)).toBe('accepted');
  });
  it('a custom tolerance is honoured', () => {
    expect(reasonAt(-20, 10)).toBe('timestamp_too_old');
    expect(reasonAt(-1000, 3600)).toBe('accepted');
  });
  it('a non-finite now falls back to the real clock instead of accepting everything', () => {
    const header = signed(NOW - 10_000);
    expect(reasonOf({ payload: BODY, header, secrets: SECRET, now: Number.NaN })).toBe('timestamp_too_old');
  });
  it('checks the signature before the timestamp, so a forged old delivery reports signature_mismatch', () => {
    expect(reasonOf({ payload: BODY, header: signed(NOW - 1000, 'whsec_other'), secrets: SECRET, now: NOW })).toBe(
      'signature_mismatch',
    );
  });
});

describe('verifySignature: rotation and several secrets', () => {
  it('accepts when only the second v1 is valid', () => {
    const valid = computeSignature(SECRET, NOW, BODY);
    const header = `t=${NOW},v1=${'0'.repeat(64)},v1=${valid}`;
    expect(verifySignature({ payload: BODY, header, secrets: SECRET, now: NOW })).toEqual({
      ok: true,
      timestamp: NOW,
      matchedSecretIndex: 0,
      verifiedSignatures: [valid],
    });
  });
  it('accepts a header signed with old and new secrets by a receiver that knows either', () => {
    const header = signed(NOW, ['whsec_old', 'whsec_new']);
    expect(accepted({ payload: BODY, header, secrets: 'whsec_new', now: NOW })).toBe(true);
    expect(accepted({ payload: BODY, header, secrets: 'whsec_old', now: NOW })).toBe(true);
  });
  it('tries every secret and reports which one matched, never the secret itself', () => {
    const header = signed(NOW, 'whsec_b');
    const result = verifySignature({ payload: BODY, header, secrets: ['whsec_a', 'whsec_b', 'whsec_c'], now: NOW });
    expect(result).toEqual({
      ok: true,
      timestamp: NOW,
      matchedSecretIndex: 1,
      verifiedSignatures: [computeSignature('whsec_b', NOW, BODY)],
    });
    expect(JSON.stringify(result)).not.toContain('whsec_b');
  });
  it("names only the v1 that verified, in lowercase, as the delivery's signature key", () => {
    const valid = computeSignature(SECRET, NOW, BODY);
    const other = computeSignature('whsec_other', NOW, BODY);
    const header = `t=${NOW},v1=${other},v1=${valid.toUpperCase()}`;
    expect(verifySignature({ payload: BODY, header, secrets: SECRET, now: NOW })).toMatchObject({
      verifiedSignatures: [valid],
    });
  });
  it("keeps the caller's index when empty secrets are skipped", () => {
    const header = signed(NOW, 'whsec_b');
    expect(verifySignature({ payload: BODY, header, secrets: ['', 'whsec_b'], now: NOW })).toMatchObject({
      matchedSecretIndex: 1,
    });
  });
  it('takes labelled entries (what listen keeps) and reports the index in that list', () => {
    const header = signed(NOW, 'whsec_b');
    const entries = [{ secret: 'whsec_a' }, { secret: '' }, { secret: 'whsec_b' }];
    expect(verifyDelivery(Buffer.from(BODY), header, entries, 300, NOW)).toMatchObject({ matchedSecretIndex: 2 });
  });
  it('fails closed with no usable secret (an empty key would let anyone sign)', () => {
    const forged = `t=${NOW},v1=${computeSignature('', NOW, BODY)}`;
    expect(failure({ payload: BODY, header: forged, secrets: '', now: NOW })).toMatchObject({
      reason: 'signature_mismatch',
      message: 'no secret to verify the signature with',
    });
    expect(reasonOf({ payload: BODY, header: forged, secrets: [], now: NOW })).toBe('signature_mismatch');
  });
  it('accepts a node-style string[] header (a repeated header)', () => {
    const valid = computeSignature(SECRET, NOW, BODY);
    expect(accepted({ payload: BODY, header: [`t=${NOW}`, `v1=${valid}`], secrets: SECRET, now: NOW })).toBe(true);
  });
});

describe('verifySignature: a v1 matches only as exactly 64 hex characters', () => {
  const valid = computeSignature(SECRET, NOW, BODY);
  it.each([
    ['too short', valid.slice(0, 63)],
    ['too long', `${valid}00`],
    ['half length', valid.slice(0, 32)],
    ['non-hex of the right length', 'z'.repeat(64)],
    ['odd-length hex', 'abc'],
    ['base64', Buffer.from(valid, 'hex').toString('base64')],
    ['unicode', 'é'.repeat(64)],
    ['one flipped digit', (valid[0] === 'a' ? 'b' : 'a') + valid.slice(1)],
    // Each unit's low byte is the right hex digit: Buffer.from(x, 'hex') decodes this to the digest, so it used
    // to verify.
    [
      'CJK characters whose low bytes spell the digest',
      [...valid].map((c) => String.fromCharCode(0x4e00 | c.charCodeAt(0))).join(''),
    ],
    ['full-width digits', [...valid].map((c) => String.fromCharCode(0xff00 | c.charCodeAt(0))).join('')],
    ['a trailing NUL', `${valid.slice(0, 63)}\u0000`],
  ])('%s', (_name, v1) => {
    expect(reasonOf({ payload: BODY, header: `t=${NOW},v1=${v1}`, secrets: SECRET, now: NOW })).toBe(
      'signature_mismatch',
    );
  });
  it('the CJK v1 really decodes to the digest with Buffer.from(…, "hex") (why a length check was not enough)', () => {
    const cjk = [...valid].map((c) => String.fromCharCode(0x4e00 | c.charCodeAt(0))).join('');
    expect(cjk).toHaveLength(64);
    expect(Buffer.from(cjk, 'hex').toString('hex')).toBe(valid);
  });
  it('accepts the same digest in upper case (same bytes)', () => {
    expect(accepted({ payload: BODY, header: `t=${NOW},v1=${valid.toUpperCase()}`, secrets: SECRET, now: NOW })).toBe(
      true,
    );
  });
  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a number', 42],
    ['an object', {}],
  ])('secrets that are %s (an unset env var) fail closed with signature_mismatch', (_name, secrets) => {
    const header = signPayload({ payload: BODY, secret: SECRET, timestamp: NOW });
    expect(reasonOf({ payload: BODY, header, secrets: secrets as unknown as string, now: NOW })).toBe(
      'signature_mismatch',
    );
  });
  it('a non-string header from JavaScript is a malformed_header', () => {
    const header = 42 as unknown as string;
    expect(reasonOf({ payload: BODY, header, secrets: SECRET, now: NOW })).toBe('malformed_header');
  });
});

describe('a timestamp just past the limit', () => {
  it('never reads as the limit itself: 300.4 s is not "300 s ago; the limit is 300 s"', () => {
    const result = verifySignature({ payload: BODY, header: signed(NOW - 300), secrets: SECRET, now: NOW + 0.4 });
    expect(result).toMatchObject({ ok: false, reason: 'timestamp_too_old' });
    expect(!result.ok && result.message).toBe('signed 300.4 s ago; the limit is 300 s');
  });

  it('a rounded age that differs from the limit stays rounded', () => {
    const result = verifySignature({ payload: BODY, header: signed(NOW - 400), secrets: SECRET, now: NOW + 0.4 });
    expect(!result.ok && result.message).toBe('signed 400 s ago; the limit is 300 s');
  });
});
