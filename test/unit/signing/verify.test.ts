import { describe, expect, it } from 'vitest';
import { VerificationError, type VerificationReason } from '../../../src/errors.js';
import { computeSignature, signPayload, verifySignature, type VerifyOptions } from '../../../src/signing/index.js';

const NOW = 1_700_000_000;
const SECRET = 'whsec_test_secret';
const BODY = '{"event":"render.completed","timestamp":"2026-01-29T10:30:00Z","data":{"type":"image","url":"u"}}';

function signed(timestamp = NOW, secret: string | string[] = SECRET, payload: string | Uint8Array = BODY): string {
  return signPayload({ payload, secret, timestamp });
}

function failure(options: VerifyOptions): VerificationError {
  try {
    verifySignature(options);
  } catch (error) {
    expect(error).toBeInstanceOf(VerificationError);
    return error as VerificationError;
  }
  throw new Error('expected verifySignature to throw');
}

function reasonOf(options: VerifyOptions): VerificationReason {
  return failure(options).reason;
}

describe('verifySignature: one test per failure reason', () => {
  it('missing_header', () => {
    expect(reasonOf({ payload: BODY, header: undefined, secrets: SECRET, now: NOW })).toBe('missing_header');
  });
  it('malformed_header', () => {
    expect(reasonOf({ payload: BODY, header: 'garbage', secrets: SECRET, now: NOW })).toBe('malformed_header');
  });
  it('missing_timestamp', () => {
    const v1 = computeSignature(SECRET, NOW, BODY);
    expect(reasonOf({ payload: BODY, header: `v1=${v1}`, secrets: SECRET, now: NOW })).toBe('missing_timestamp');
  });
  it('timestamp_too_old', () => {
    expect(reasonOf({ payload: BODY, header: signed(NOW - 301), secrets: SECRET, now: NOW })).toBe('timestamp_too_old');
  });
  it('timestamp_in_future', () => {
    expect(reasonOf({ payload: BODY, header: signed(NOW + 301), secrets: SECRET, now: NOW })).toBe(
      'timestamp_in_future',
    );
  });
  it('no_signatures', () => {
    expect(reasonOf({ payload: BODY, header: `t=${NOW},v0=abc`, secrets: SECRET, now: NOW })).toBe('no_signatures');
  });
  it('signature_mismatch (wrong secret)', () => {
    expect(reasonOf({ payload: BODY, header: signed(), secrets: 'whsec_other', now: NOW })).toBe('signature_mismatch');
  });
  it('signature_mismatch (tampered body)', () => {
    expect(reasonOf({ payload: `${BODY} `, header: signed(), secrets: SECRET, now: NOW })).toBe('signature_mismatch');
  });
  it('invalid_payload when given a parsed object instead of the raw body', () => {
    const payload = JSON.parse(BODY) as unknown as string;
    expect(reasonOf({ payload, header: signed(), secrets: SECRET, now: NOW })).toBe('invalid_payload');
  });
  it('every failure carries a hint', () => {
    const cases: VerifyOptions[] = [
      { payload: BODY, header: undefined, secrets: SECRET, now: NOW },
      { payload: BODY, header: signed(NOW - 1000), secrets: SECRET, now: NOW },
      { payload: BODY, header: signed(NOW + 1000), secrets: SECRET, now: NOW },
      { payload: BODY, header: signed(), secrets: 'whsec_other', now: NOW },
    ];
    for (const options of cases) expect(failure(options).hint).toMatch(/\w/);
  });
  it('says how old or early the timestamp is', () => {
    expect(failure({ payload: BODY, header: signed(NOW - 400), secrets: SECRET, now: NOW }).message).toContain(
      '400 s old',
    );
    expect(failure({ payload: BODY, header: signed(NOW + 400), secrets: SECRET, now: NOW }).message).toContain(
      '400 s in the future',
    );
  });
  it('hints at milliseconds when now is Date.now()', () => {
    const error = failure({ payload: BODY, header: signed(), secrets: SECRET, now: NOW * 1000 });
    expect(error.reason).toBe('timestamp_too_old');
    expect(error.hint).toMatch(/milliseconds/);
  });
});

describe('verifySignature: tolerance', () => {
  const at = (offset: number, toleranceSeconds?: number) => () =>
    verifySignature({ payload: BODY, header: signed(NOW + offset), secrets: SECRET, now: NOW, toleranceSeconds });

  it('accepts 299 s old and 299 s early, and exactly 300 s', () => {
    for (const offset of [-299, 299, -300, 300, 0]) expect(at(offset)).not.toThrow();
  });
  it('rejects 301 s old and 301 s in the future', () => {
    expect(at(-301)).toThrow(expect.objectContaining({ reason: 'timestamp_too_old' }));
    expect(at(301)).toThrow(expect.objectContaining({ reason: 'timestamp_in_future' }));
  });
  it.each([
    ['0', 0],
    ['NaN', Number.NaN],
    ['undefined', undefined],
    ['negative', -5],
    ['-Infinity', Number.NEGATIVE_INFINITY],
  ])('tolerance %s does not disable the check (means 300 s)', (_name, tolerance) => {
    expect(at(-301, tolerance)).toThrow(expect.objectContaining({ reason: 'timestamp_too_old' }));
    expect(at(301, tolerance)).toThrow(expect.objectContaining({ reason: 'timestamp_in_future' }));
    expect(at(-299, tolerance)).not.toThrow();
  });
  it('Infinity disables the check', () => {
    expect(at(-10 * 365 * 86400, Number.POSITIVE_INFINITY)).not.toThrow();
    expect(at(10 * 365 * 86400, Number.POSITIVE_INFINITY)).not.toThrow();
  });
  it('a custom tolerance is honoured', () => {
    expect(at(-20, 10)).toThrow(expect.objectContaining({ reason: 'timestamp_too_old' }));
    expect(at(-1000, 3600)).not.toThrow();
  });
  it('a non-finite now falls back to the real clock instead of accepting everything', () => {
    const header = signed(NOW - 10_000);
    expect(() => verifySignature({ payload: BODY, header, secrets: SECRET, now: Number.NaN })).toThrow(
      expect.objectContaining({ reason: 'timestamp_too_old' }),
    );
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
    expect(verifySignature({ payload: BODY, header, secrets: SECRET, now: NOW }).matchedSecretIndex).toBe(0);
  });
  it('accepts a header signed with old and new secrets by a receiver that knows either', () => {
    const header = signed(NOW, ['whsec_old', 'whsec_new']);
    expect(verifySignature({ payload: BODY, header, secrets: 'whsec_new', now: NOW }).matchedSecret).toBe('whsec_new');
    expect(verifySignature({ payload: BODY, header, secrets: 'whsec_old', now: NOW }).matchedSecret).toBe('whsec_old');
  });
  it('tries every secret and reports which one matched', () => {
    const header = signed(NOW, 'whsec_b');
    expect(verifySignature({ payload: BODY, header, secrets: ['whsec_a', 'whsec_b', 'whsec_c'], now: NOW })).toEqual({
      timestamp: NOW,
      matchedSecretIndex: 1,
      matchedSecret: 'whsec_b',
    });
  });
  it("keeps the caller's index when empty secrets are skipped", () => {
    const header = signed(NOW, 'whsec_b');
    expect(verifySignature({ payload: BODY, header, secrets: ['', 'whsec_b'], now: NOW }).matchedSecretIndex).toBe(1);
  });
  it('fails closed with no usable secret (an empty key would let anyone sign)', () => {
    const forged = `t=${NOW},v1=${computeSignature('', NOW, BODY)}`;
    expect(reasonOf({ payload: BODY, header: forged, secrets: '', now: NOW })).toBe('signature_mismatch');
    expect(reasonOf({ payload: BODY, header: forged, secrets: [], now: NOW })).toBe('signature_mismatch');
  });
  it('accepts a node-style string[] header (a repeated header)', () => {
    const valid = computeSignature(SECRET, NOW, BODY);
    expect(() =>
      verifySignature({ payload: BODY, header: [`t=${NOW}`, `v1=${valid}`], secrets: SECRET, now: NOW }),
    ).not.toThrow();
  });
});

describe('verifySignature: odd signatures never throw anything but signature_mismatch', () => {
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
  ])('%s', (_name, v1) => {
    expect(reasonOf({ payload: BODY, header: `t=${NOW},v1=${v1}`, secrets: SECRET, now: NOW })).toBe(
      'signature_mismatch',
    );
  });
  it('accepts the same digest in upper case (same bytes)', () => {
    expect(() =>
      verifySignature({ payload: BODY, header: `t=${NOW},v1=${valid.toUpperCase()}`, secrets: SECRET, now: NOW }),
    ).not.toThrow();
  });
  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a number', 42],
    ['an object', {}],
  ])(
    'secrets that are %s (an unset env var) fail closed with signature_mismatch, not a TypeError',
    (_name, secrets) => {
      const header = signPayload({ payload: BODY, secret: SECRET, timestamp: NOW });
      expect(reasonOf({ payload: BODY, header, secrets: secrets as unknown as string, now: NOW })).toBe(
        'signature_mismatch',
      );
    },
  );
  it('a non-string header from JavaScript is a malformed_header, not a TypeError', () => {
    const header = 42 as unknown as string;
    expect(reasonOf({ payload: BODY, header, secrets: SECRET, now: NOW })).toBe('malformed_header');
  });
});
