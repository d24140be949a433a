// Durations read in a person's unit: "3 d old", not "259200 s old"; "1.2 s", not "1200 ms".
import { describe, expect, it } from 'vitest';
import { formatMs } from '../../../src/output/duration.js';
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

describe('formatMs', () => {
  it('one decimal below 10 ms, whole milliseconds below 1 s, then seconds', () => {
    expect([0, 2.34, 3, 9.96, 14.6, 250, 999.4, 1000, 1200, 1234, 12_500, 30_000, 600_000].map(formatMs)).toEqual([
      '0 ms',
      '2.3 ms',
      '3 ms',
      '10 ms',
      '15 ms',
      '250 ms',
      '999 ms',
      '1 s',
      '1.2 s',
      '1.23 s',
      '12.5 s',
      '30 s',
      '600 s',
    ]);
  });
});
