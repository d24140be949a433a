import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.js';
import { parseExpect } from '../../../src/outbound/options.js';

describe('parseExpect', () => {
  it('matches classes, exact codes and comma lists', () => {
    const any2xx = parseExpect('2xx');
    expect([200, 204, 299].every(any2xx.matches)).toBe(true);
    expect([199, 300, 401, 500].some(any2xx.matches)).toBe(false);
    const list = parseExpect(' 401, 4XX ,200');
    expect(list.text).toBe('401,4xx,200');
    expect([401, 404, 200].every(list.matches)).toBe(true);
    expect(list.matches(201)).toBe(false);
    expect(parseExpect('401').matches(403)).toBe(false);
  });

  it('rejects anything else as a usage error', () => {
    for (const bad of ['', ',', '2x', '600', '99', 'ok', '2xx;401']) expect(() => parseExpect(bad)).toThrow(InputError);
  });
});
