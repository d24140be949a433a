// Ages read "3 d ago", not "96108222 s old" (issue 12, item 7): one formatter for every age the CLI prints.
import { describe, expect, it } from 'vitest';
import { formatAge, withAge } from '../../../src/output/age.js';

describe('formatAge', () => {
  it('says how long ago, in s, min, h or d', () => {
    expect([0, 42, 999, 1000, 3 * 3600, 3 * 86_400, 96_108_222].map(formatAge)).toEqual([
      '0 s ago',
      '42 s ago',
      '999 s ago',
      '17 min ago',
      '3 h ago',
      '3 d ago',
      '1112 d ago',
    ]);
  });

  it('a time in the future reads "in …"', () => {
    expect(formatAge(-300)).toBe('in 300 s');
  });
});

describe('withAge', () => {
  const now = Date.UTC(2026, 10, 26, 12, 0, 0);
  it('appends the age to a time, and leaves text that is not a time alone', () => {
    expect(withAge('2026-11-23T12:00:00Z', now)).toBe('2026-11-23T12:00:00Z (3 d ago)');
    expect(withAge('yesterday-ish', now)).toBe('yesterday-ish');
  });
});
