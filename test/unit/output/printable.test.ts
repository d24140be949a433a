import { describe, expect, it } from 'vitest';
import { jsonText, printable, printableDeep } from '../../../src/text/printable.js';

const HOSTILE = 'a\u001b]0;pwned\u0007b\u001b[2Jc\u009bd\u202ee\u007ff\u2066g\u200fh';

describe('printable', () => {
  it('escapes what could steer a terminal, keeps the rest', () => {
    expect(printable('plain text\twith a tab, é and ✓')).toBe('plain text\twith a tab, é and ✓');
    expect(printable('\u001b[2Jcleared')).toBe('\\x1b[2Jcleared');
    expect(printable('a\nb\rc\u007f\u009b')).toBe('a\\x0ab\\x0dc\\x7f\\x9b');
    expect(printable('abc\u202edef')).toBe('abc\\u202edef');
    expect(printable(HOSTILE)).toBe('a\\x1b]0;pwned\\x07b\\x1b[2Jc\\x9bd\\u202ee\\x7ff\\u2066g\\u200fh');
  });

  it('returns text with nothing to escape unchanged (the same string)', () => {
    const line = '12:00:00  ✓  render.completed  del_abc123  200  url=https://cdn.pictify.io/x.png';
    expect(printable(line)).toBe(line);
  });

  it('keeps newlines only when asked, and escapes the rest of the class then too', () => {
    expect(printable('one\ntwo\u001b', { keepNewlines: true })).toBe('one\ntwo\\x1b');
    expect(printable('one\r\ntwo', { keepNewlines: true })).toBe('one\\x0d\ntwo');
  });

  it('printableDeep sanitises every string, keys included, and leaves other values alone', () => {
    expect(printableDeep({ 'k\u001b': ['v\u009b', 1, null, true, { x: '\u202e' }] })).toEqual({
      'k\\x1b': ['v\\x9b', 1, null, true, { x: '\\u202e' }],
    });
  });
});

describe('jsonText', () => {
  it('writes ESC, C1, DEL and bidi controls as \\u escapes and parses back to the same value', () => {
    const value = { payload: HOSTILE, [HOSTILE]: [HOSTILE] };
    for (const indent of [undefined, 2]) {
      const text = jsonText(value, indent);
      expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
      expect(text).toContain('\\u001b]0;pwned\\u0007');
      expect(text).toContain('\\u009b');
      expect(text).toContain('\\u202e');
      expect(text).toContain('\\u007f');
      expect(JSON.parse(text)).toEqual(value);
    }
  });

  it('is JSON.stringify where there is nothing to escape', () => {
    const value = { a: 'é ✓ "quoted" \\ back', n: 1, list: [null, false] };
    expect(jsonText(value)).toBe(JSON.stringify(value));
    expect(jsonText(value, 2)).toBe(JSON.stringify(value, null, 2));
  });
});
