import { describe, expect, it } from 'vitest';
import {
  parseSignatureHeader,
  readSignatureHeader,
  VerificationError,
  WebhookVerificationError,
  type VerificationReason,
} from '../../../src/signing/index.js';

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

  it('throws WebhookVerificationError (also known as VerificationError) with a 400 status', () => {
    try {
      parseSignatureHeader('x');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(WebhookVerificationError);
      expect(error).toBeInstanceOf(VerificationError);
      expect(error).toMatchObject({ reason: 'malformed_header', status: 400 });
    }
  });

  it('the canonical fast path gives what the general parser gives for the same pair', () => {
    const spaced = (h: string) => h.replace(',', ' , '); // not canonical: takes the general parser
    for (const header of [
      `t=0,v1=${SIG}`,
      `t=1700000000,v1=${'AbCdEf01'.repeat(8)}`,
      `t=${'9'.repeat(15)},v1=${SIG}`,
    ]) {
      expect(readSignatureHeader(header)).toEqual(readSignatureHeader(spaced(header)));
    }
  });

  it('near-canonical headers (a comma, a space or non-hex inside the 64 characters) take the general parser', () => {
    const commaInside = `t=1,v1=${'a'.repeat(30)},v1=${'b'.repeat(30)}`;
    expect(commaInside.length).toBe(`t=1,v1=${SIG}`.length);
    expect(readSignatureHeader(commaInside)).toEqual({ timestamp: 1, signatures: ['a'.repeat(30), 'b'.repeat(30)] });
    const keyWithoutEquals = `t=1,v1=${'a'.repeat(30)},${'b'.repeat(33)}`;
    expect(readSignatureHeader(keyWithoutEquals)).toMatchObject({ reason: 'malformed_header' });
    expect(readSignatureHeader(`t=1,v1=${'z'.repeat(64)}`)).toEqual({ timestamp: 1, signatures: ['z'.repeat(64)] });
    expect(readSignatureHeader(`t=${'9'.repeat(16)},v1=${SIG}`)).toMatchObject({ reason: 'missing_timestamp' });
  });

  it('readSignatureHeader never throws, whatever JavaScript hands it', () => {
    for (const value of [undefined, null, 42, {}, [], Symbol('x'), () => 1, 'x'.repeat(100_000)]) {
      expect(() => readSignatureHeader(value)).not.toThrow();
    }
    expect(readSignatureHeader(42)).toMatchObject({ reason: 'malformed_header' });
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
