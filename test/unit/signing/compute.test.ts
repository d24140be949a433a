import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { computeSignature, parseSignatureHeader, signPayload, verifySignature } from '../../../src/signing/index.js';

// An independent implementation of the documented algorithm, straight from Pictify's docs, with node:crypto:
// v1 = hex(HMAC-SHA256(key = whole secret, message = "<t>.<raw body>")).
function referenceV1(secret: string, t: number, body: Buffer): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8'))
    .update(Buffer.concat([Buffer.from(`${t}.`, 'ascii'), body]))
    .digest('hex');
}

const T = 1_700_000_000;
const JSON_BODY = '{"event":"render.completed","data":{"url":"https://cdn.pictify.io/a.png"}}';
const UNICODE_BODY = 'café € 🖼';
const BINARY_BODY = Buffer.from([0x00, 0xff, 0xfe, 0x80]); // not valid UTF-8: must be signed as bytes

// Hex digests computed once with `openssl dgst -sha256 -hmac whsec_x`, a third implementation.
const VECTORS = [
  {
    name: 'JSON body',
    body: Buffer.from(JSON_BODY),
    hex: 'f80be4a70b4cec9961ecd78e612d702b753808fea62eed74501f1d2d01ad4b35',
  },
  {
    name: 'non-ASCII UTF-8 body',
    body: Buffer.from(UNICODE_BODY, 'utf8'),
    hex: '5e89412c5e7ceed06aa17c67d5c801555f25aabf4a2b4a03797dd6b97dcdcc0a',
  },
  {
    name: 'non-UTF-8 bytes',
    body: BINARY_BODY,
    hex: '0f758cc1c1f15038b78dc483631f40352e701888a1828ba5331a9cdd6583e0cf',
  },
];

describe('computeSignature', () => {
  for (const v of VECTORS) {
    it(`matches the reference implementation and openssl for a ${v.name}`, () => {
      expect(referenceV1('whsec_x', T, v.body)).toBe(v.hex);
      expect(computeSignature('whsec_x', T, v.body)).toBe(v.hex);
      expect(computeSignature('whsec_x', T, new Uint8Array(v.body))).toBe(v.hex);
    });
  }

  it('signs a string as its UTF-8 bytes', () => {
    expect(computeSignature('whsec_x', T, UNICODE_BODY)).toBe(VECTORS[1].hex);
    expect(computeSignature('whsec_x', T, JSON_BODY)).toBe(VECTORS[0].hex);
  });

  it('uses the whole secret, whsec_ prefix included', () => {
    expect(computeSignature('whsec_x', T, JSON_BODY)).not.toBe(computeSignature('x', T, JSON_BODY));
    expect(computeSignature('x', T, JSON_BODY)).toBe(referenceV1('x', T, Buffer.from(JSON_BODY)));
  });

  it('agrees with the reference for several secrets, times and bodies', () => {
    for (const secret of ['whsec_abc', 'whsec_ünïcödé', 'plain']) {
      for (const t of [0, 1, T, 4_102_444_800]) {
        for (const body of [Buffer.alloc(0), Buffer.from('{}'), Buffer.from(UNICODE_BODY), BINARY_BODY]) {
          expect(computeSignature(secret, t, body)).toBe(referenceV1(secret, t, body));
        }
      }
    }
  });

  it('rejects a timestamp that is not whole unix seconds', () => {
    expect(() => computeSignature('whsec_x', 1.5, '{}')).toThrow(RangeError);
    expect(() => computeSignature('whsec_x', -1, '{}')).toThrow(RangeError);
    expect(() => computeSignature('whsec_x', Number.NaN, '{}')).toThrow(RangeError);
  });
});

describe('signPayload', () => {
  it('builds t=…,v1=… with the reference signature', () => {
    expect(signPayload({ payload: JSON_BODY, secret: 'whsec_x', timestamp: T })).toBe(`t=${T},v1=${VECTORS[0].hex}`);
  });

  it('adds one v1 per secret, in order, for rotation', () => {
    const header = signPayload({ payload: JSON_BODY, secret: ['whsec_old', 'whsec_new'], timestamp: T });
    expect(parseSignatureHeader(header)).toEqual({
      timestamp: T,
      signatures: [
        referenceV1('whsec_old', T, Buffer.from(JSON_BODY)),
        referenceV1('whsec_new', T, Buffer.from(JSON_BODY)),
      ],
    });
  });

  it('defaults the timestamp to now, in whole seconds', () => {
    const before = Math.floor(Date.now() / 1000);
    const { timestamp } = parseSignatureHeader(signPayload({ payload: '{}', secret: 'whsec_x' }));
    expect(timestamp).toBeGreaterThanOrEqual(before);
    expect(timestamp).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
  });

  it('refuses empty secrets instead of producing a forgeable header', () => {
    expect(() => signPayload({ payload: '{}', secret: '' })).toThrow(RangeError);
    expect(() => signPayload({ payload: '{}', secret: [] })).toThrow(RangeError);
  });
});

describe('sign → verify round trips', () => {
  const bodies: Array<[string, string | Uint8Array]> = [
    ['string', JSON_BODY],
    ['Buffer', Buffer.from(JSON_BODY)],
    ['non-ASCII string', UNICODE_BODY],
    ['non-ASCII Buffer', Buffer.from(UNICODE_BODY)],
    ['non-UTF-8 bytes', BINARY_BODY],
    ['empty body', ''],
  ];
  for (const [name, payload] of bodies) {
    it(`verifies a ${name}`, () => {
      const header = signPayload({ payload, secret: 'whsec_x', timestamp: T });
      expect(verifySignature({ payload, header, secrets: 'whsec_x', now: T })).toEqual({
        ok: true,
        timestamp: T,
        matchedSecretIndex: 0,
        verifiedSignatures: [header.split('v1=')[1]],
      });
    });
  }

  it('verifies a string signature against the same text as a Buffer and vice versa', () => {
    const header = signPayload({ payload: UNICODE_BODY, secret: 'whsec_x', timestamp: T });
    expect(verifySignature({ payload: Buffer.from(UNICODE_BODY), header, secrets: 'whsec_x', now: T }).ok).toBe(true);
    const header2 = signPayload({ payload: Buffer.from(UNICODE_BODY), secret: 'whsec_x', timestamp: T });
    expect(verifySignature({ payload: UNICODE_BODY, header: header2, secrets: 'whsec_x', now: T }).ok).toBe(true);
  });

  it('verifies a header produced by the reference implementation', () => {
    const header = `t=${T},v1=${referenceV1('whsec_x', T, BINARY_BODY)}`;
    expect(verifySignature({ payload: BINARY_BODY, header, secrets: 'whsec_x', now: T })).toMatchObject({
      ok: true,
      timestamp: T,
    });
  });
});
