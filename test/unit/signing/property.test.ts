import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VerificationError } from '../../../src/errors.js';
import { parseSignatureHeader, signPayload, verifySignature } from '../../../src/signing/index.js';

// Whatever arrives, a receiver must get either a result or a VerificationError (a 401), never another exception
// (a 500), and must never accept a delivery whose body, timestamp or signature was changed.

const NOW = 1_700_000_000;
const RUNS = { numRuns: 300 };

/** Runs verify and classifies the outcome; any non-VerificationError is rethrown so the property fails loudly. */
function outcome(run: () => unknown): 'accepted' | VerificationError {
  try {
    run();
    return 'accepted';
  } catch (error) {
    if (error instanceof VerificationError) return error;
    throw error;
  }
}

const hexChar = fc.constantFrom(...'0123456789abcdef');
const hex64 = fc.string({ unit: hexChar, minLength: 64, maxLength: 64 });
const junk = fc.string({ unit: 'binary', maxLength: 80 });

/** Header-shaped input: plausible parts mixed with junk, joined by plausible separators. */
const headerish = fc
  .tuple(
    fc.array(
      fc.oneof(
        fc.integer({ min: 0, max: 2 * NOW }).map((t) => `t=${t}`),
        junk.map((v) => `t=${v}`),
        hex64.map((h) => `v1=${h}`),
        junk.map((v) => `v1=${v}`),
        junk.map((v) => `v0=${v}`),
        fc.tuple(fc.string({ maxLength: 5 }), junk).map(([k, v]) => `${k}=${v}`),
        junk,
      ),
      { maxLength: 6 },
    ),
    fc.constantFrom(',', ', ', ' , ', ',,'),
  )
  .map(([parts, sep]) => parts.join(sep));

const payloadArb = fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 }));
const secretArb = fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }).map((s) => `whsec_${s}`);

describe('verifySignature properties', () => {
  it('random and header-shaped input never throws anything but VerificationError, and is never accepted', () => {
    fc.assert(
      fc.property(fc.oneof(headerish, junk), payloadArb, secretArb, (header, payload, secret) => {
        const result = outcome(() => verifySignature({ payload, header, secrets: secret, now: NOW }));
        expect(result).not.toBe('accepted');
      }),
      RUNS,
    );
  });

  it('parseSignatureHeader throws only VerificationError on any string', () => {
    fc.assert(
      fc.property(fc.oneof(headerish, junk), (header) => {
        const result = outcome(() => parseSignatureHeader(header));
        if (result !== 'accepted') expect(result).toBeInstanceOf(VerificationError);
      }),
      RUNS,
    );
  });

  it('a genuine delivery verifies, and any mutation of body, timestamp or signature is rejected', () => {
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('body' as const), at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }),
      fc.record({ kind: fc.constant('append' as const), byte: fc.integer({ min: 0, max: 255 }) }),
      fc.record({
        kind: fc.constant('timestamp' as const),
        delta: fc.integer({ min: -200, max: 200 }).filter((d) => d !== 0),
      }),
      fc.record({ kind: fc.constant('signature' as const), at: fc.nat({ max: 63 }), digit: hexChar }),
      fc.record({ kind: fc.constant('truncate' as const), keep: fc.nat({ max: 63 }) }),
    );
    fc.assert(
      fc.property(payloadArb, secretArb, fc.integer({ min: -100, max: 100 }), mutation, (payload, secret, skew, m) => {
        const t = NOW + skew;
        const header = signPayload({ payload, secret, timestamp: t });
        expect(outcome(() => verifySignature({ payload, header, secrets: secret, now: NOW }))).toBe('accepted');

        const bytes = Buffer.from(typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload);
        const v1 = header.slice(header.indexOf('v1=') + 3);
        let body: Uint8Array = bytes;
        let tampered = header;
        switch (m.kind) {
          case 'body':
            if (bytes.length === 0) return; // nothing to flip; 'append' covers empty bodies
            body = Buffer.from(bytes);
            body[m.at % bytes.length] ^= m.xor;
            break;
          case 'append':
            body = Buffer.concat([bytes, Buffer.from([m.byte])]);
            break;
          case 'timestamp':
            tampered = `t=${t + m.delta},v1=${v1}`;
            break;
          case 'signature':
            if (v1[m.at] === m.digit) return; // not a change
            tampered = `t=${t},v1=${v1.slice(0, m.at)}${m.digit}${v1.slice(m.at + 1)}`;
            break;
          case 'truncate':
            tampered = `t=${t},v1=${v1.slice(0, m.keep)}`;
            break;
        }
        const result = outcome(() => verifySignature({ payload: body, header: tampered, secrets: secret, now: NOW }));
        expect(result).not.toBe('accepted');
        expect((result as VerificationError).reason).toMatch(/^(signature_mismatch|no_signatures)$/);
      }),
      RUNS,
    );
  });
});
