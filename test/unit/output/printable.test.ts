import { describe, expect, it } from 'vitest';
import { printable } from '../../../src/output/printable.js';

describe('printable', () => {
  it('escapes what could steer a terminal, keeps the rest', () => {
    expect(printable('plain text\twith a tab, é and ✓')).toBe('plain text\twith a tab, é and ✓');
    expect(printable('\u001b[2Jcleared')).toBe('\\u001b[2Jcleared');
    expect(printable('a\nb\rc\u007f\u009b')).toBe('a\\u000ab\\u000dc\\u007f\\u009b');
    expect(printable('abc\u202edef')).toBe('abc\\u202edef');
  });
});
