import { describe, expect, it } from 'vitest';
import { resolveColor } from '../../../src/output/color-level.js';
import { maskKey, maskSecret } from '../../../src/output/mask.js';
import { renderTable } from '../../../src/output/table.js';

describe('resolveColor', () => {
  it('is on for a TTY only', () => {
    expect(resolveColor({ isTTY: true, env: {} })).toBe(true);
    expect(resolveColor({ isTTY: false, env: {} })).toBe(false);
  });
  it('is off with --no-color, NO_COLOR, TERM=dumb', () => {
    expect(resolveColor({ isTTY: true, env: {}, flag: false })).toBe(false);
    expect(resolveColor({ isTTY: true, env: { NO_COLOR: '1' } })).toBe(false);
    expect(resolveColor({ isTTY: true, env: { TERM: 'dumb' } })).toBe(false);
  });
  it('FORCE_COLOR turns it on off a TTY, FORCE_COLOR=0 off', () => {
    expect(resolveColor({ isTTY: false, env: { FORCE_COLOR: '1' } })).toBe(true);
    expect(resolveColor({ isTTY: true, env: { FORCE_COLOR: '0' } })).toBe(false);
  });
});

describe('masking', () => {
  it('keeps the prefix and the last four', () => {
    expect(maskSecret('whsec_abcdefghijklmnop1234')).toBe('whsec_…1234');
    expect(maskKey('pk_live_0123456789abcd')).toBe('pk_live_…abcd');
    expect(maskSecret('whsec_short')).toBe('whsec_…');
  });
});

describe('renderTable', () => {
  it('aligns columns ignoring ANSI escapes', () => {
    const out = renderTable(
      ['a', 'b'],
      [
        ['\x1b[32mxx\x1b[39m', '1'],
        ['yyyy', '2'],
      ],
    );
    const lines = out.split('\n').map((l) => l.replace(/\x1b\[[0-9;]*m/g, ''));
    expect(lines).toEqual(['A     B', 'xx    1', 'yyyy  2']);
  });
});
