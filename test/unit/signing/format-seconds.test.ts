// Ages in messages read in a person's unit: "3 d old", not "259200 s old".
import { describe, expect, it } from 'vitest';
import { formatSeconds } from '../../../src/signing/tolerance.js';

describe('formatSeconds', () => {
  it('keeps exact seconds below 1000 s, then minutes, hours and days', () => {
    expect([0, 1, 299.6, 999, 1000, 3600, 7199, 7200, 47 * 3600, 3 * 86_400, 96_108_222].map(formatSeconds)).toEqual([
      '0 s',
      '1 s',
      '300 s',
      '999 s',
      '17 min',
      '60 min',
      '120 min',
      '2 h',
      '47 h',
      '3 d',
      '1112 d',
    ]);
    expect(formatSeconds(-3 * 86_400)).toBe('-3 d');
  });
});
