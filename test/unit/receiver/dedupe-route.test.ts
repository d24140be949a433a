import { describe, expect, it } from 'vitest';
import { DeliveryDedupe, matchesGlob, Router } from '../../../src/receiver/index.js';

describe('DeliveryDedupe', () => {
  it('remembers ids up to its capacity, evicting the least recently used', () => {
    const d = new DeliveryDedupe(3);
    for (const id of ['a', 'b', 'c']) d.remember(id);
    expect(d.seen('a')).toBe(true); // refreshes a
    d.remember('d'); // evicts b, the least recently used
    expect(d.seen('b')).toBe(false);
    expect(d.seen('a')).toBe(true);
    expect(d.seen('c')).toBe(true);
    expect(d.seen('d')).toBe(true);
    expect(d.size).toBe(3);
  });

  it('claims: the first copy processes, copies in flight wait for it, a failed first lets one retry', async () => {
    const d = new DeliveryDedupe(10);
    expect(d.claim('del_a')).toBe('first');
    const second = d.claim('del_a');
    const third = d.claim('del_a');
    expect(second).toBeInstanceOf(Promise);
    d.settle('del_a', null); // the first was not taken
    expect(await second).toBeNull();
    expect(await third).toBeNull();
    expect(d.claim('del_a')).toBe('first'); // the retry
    const fourth = d.claim('del_a');
    d.settle('del_a', 201);
    expect(await fourth).toBe(201);
    expect(d.claim('del_a')).toBe('seen');
    expect(d.inFlight).toBe(0);
  });

  it('stays bounded under many ids', () => {
    const d = new DeliveryDedupe(1000);
    for (let i = 0; i < 50_000; i++) d.remember(`del_${i}`);
    expect(d.size).toBe(1000);
    expect(d.seen('del_49999')).toBe(true);
    expect(d.seen('del_0')).toBe(false);
  });
});

describe('routes', () => {
  it('globs match whole event names', () => {
    expect(matchesGlob('render.*', 'render.completed')).toBe(true);
    expect(matchesGlob('render.*', 'batch.completed')).toBe(false);
    expect(matchesGlob('*.failed', 'binding.failed')).toBe(true);
    expect(matchesGlob('render.completed', 'render.completedX')).toBe(false);
    expect(matchesGlob('render?completed', 'render.completed')).toBe(true);
  });

  it('the first matching route wins and --forward-to is the fallback', () => {
    const router = new Router(
      [
        { pattern: 'render.failed', url: 'http://a/' },
        { pattern: 'render.*', url: 'http://b/' },
      ],
      'http://fallback/',
    );
    expect(router.target('render.failed')).toBe('http://a/');
    expect(router.target('render.completed')).toBe('http://b/');
    expect(router.target('batch.failed')).toBe('http://fallback/');
    expect(router.target(null)).toBe('http://fallback/');
    expect(new Router([{ pattern: 'render.*', url: 'http://b/' }], undefined).target('batch.failed')).toBeUndefined();
  });
});
