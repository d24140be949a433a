import { describe, expect, it } from 'vitest';
import { VerificationError, type VerificationReason } from '../../../src/errors.js';
import { parseSignatureHeader } from '../../../src/signing/index.js';

const SIG = 'a'.repeat(64);

function reasonOf(fn: () => unknown): VerificationReason | 'no error' | 'other error' {
  try {
    fn();
    return 'no error';
  } catch (error) {
    return error instanceof VerificationError ? error.reason : 'other error';
  }
}

describe('parseSignatureHeader', () => {
  it('parses t and v1', () => {
    expect(parseSignatureHeader(`t=1700000000,v1=${SIG}`)).toEqual({ timestamp: 1700000000, signatures: [SIG] });
  });

  it('collects every v1, in order', () => {
    expect(parseSignatureHeader(`t=1,v1=aa,v1=bb,v1=cc`).signatures).toEqual(['aa', 'bb', 'cc']);
  });

  it('ignores unknown schemes such as v0 and v2', () => {
    expect(parseSignatureHeader(`v0=zz,t=5,v2=yy,v1=${SIG},foo=bar`)).toEqual({ timestamp: 5, signatures: [SIG] });
  });

  it('tolerates spaces around parts, empty parts and a trailing comma', () => {
    expect(parseSignatureHeader(`  t = 12 ,  v1= ${SIG} ,, `)).toEqual({ timestamp: 12, signatures: [SIG] });
  });

  it('keeps = inside values (base64 padding from other schemes does not break parsing)', () => {
    expect(parseSignatureHeader('t=1,v1=abc==').signatures).toEqual(['abc==']);
  });

  it('accepts the same t twice but not two different ones', () => {
    expect(parseSignatureHeader(`t=7,v1=${SIG},t=7`).timestamp).toBe(7);
    expect(reasonOf(() => parseSignatureHeader(`t=7,v1=${SIG},t=8`))).toBe('malformed_header');
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['empty', ''],
    ['blank', '   '],
  ])('missing_header for %s', (_name, header) => {
    expect(reasonOf(() => parseSignatureHeader(header))).toBe('missing_header');
  });

  it.each([
    ['garbage', 'hello world'],
    ['Svix style', 'v1,dGVzdA=='],
    ['only commas', ',,,'],
    ['key without =', `t=1,v1=${SIG},oops`],
    ['empty key', `=1,v1=${SIG}`],
  ])('malformed_header for %s', (_name, header) => {
    expect(reasonOf(() => parseSignatureHeader(header))).toBe('malformed_header');
  });

  it.each([
    ['no t', `v1=${SIG}`],
    ['GitHub style', `sha256=${SIG}`],
    ['empty t', `t=,v1=${SIG}`],
    ['negative t', `t=-5,v1=${SIG}`],
    ['decimal t', `t=1.5,v1=${SIG}`],
    ['exponent t', `t=1e9,v1=${SIG}`],
    ['hex t', `t=0x10,v1=${SIG}`],
    ['word t', `t=now,v1=${SIG}`],
    ['huge t', `t=${'9'.repeat(20)},v1=${SIG}`],
  ])('missing_timestamp for %s', (_name, header) => {
    expect(reasonOf(() => parseSignatureHeader(header))).toBe('missing_timestamp');
  });

  it.each([
    ['no v1', 't=1'],
    ['only empty v1', 't=1,v1=,v1= '],
    ['only other schemes', 't=1,v0=abc,v2=def'],
  ])('no_signatures for %s', (_name, header) => {
    expect(reasonOf(() => parseSignatureHeader(header))).toBe('no_signatures');
  });

  it('gives every error a hint', () => {
    for (const header of [undefined, 'x', 'v1=a', 't=1']) {
      try {
        parseSignatureHeader(header);
      } catch (error) {
        expect((error as VerificationError).hint).toBeTruthy();
      }
    }
  });

  it('shortens a huge malformed header in its message', () => {
    try {
      parseSignatureHeader('x'.repeat(10_000));
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message.length).toBeLessThan(200);
    }
  });
});
