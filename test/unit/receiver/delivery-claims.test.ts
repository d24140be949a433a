import { describe, expect, it } from 'vitest';
import { DeliveryClaims } from '../../../src/receiver/delivery-claims.js';
import { KeyIndex } from '../../../src/receiver/key-index.js';

describe('KeyIndex', () => {
  it('holds every key added, and no other, across growth', () => {
    const index = new KeyIndex();
    for (let i = 0; i < 100_000; i++) index.add(`id:del_${i}`);
    expect(index.size).toBe(100_000);
    let missing = 0;
    for (let i = 0; i < 100_000; i++) if (!index.has(`id:del_${i}`)) missing++;
    let false_ = 0;
    for (let i = 100_000; i < 200_000; i++) if (index.has(`id:del_${i}`)) false_++;
    expect([missing, false_]).toEqual([0, 0]);
    // Typed arrays, under 0.7 full: 9 bytes a slot.
    expect(index.bytes).toBeLessThanOrEqual((100_000 / 0.35) * 9);
  });

  it('forgets keys older than the previous generation', () => {
    const index = new KeyIndex();
    index.add('a');
    index.advance();
    index.add('b');
    expect(index.has('a') && index.has('b')).toBe(true);
    index.advance();
    expect(index.has('a')).toBe(false);
    expect(index.has('b')).toBe(true);
    expect(index.size).toBe(1);
  });

  it('a key seen again lives on in the current generation', () => {
    const index = new KeyIndex();
    index.add('a');
    index.advance();
    index.add('a');
    index.advance();
    expect(index.has('a')).toBe(true);
  });

  it('stays bounded by itself: a full generation starts the next one', () => {
    const index = new KeyIndex({ maxKeysPerGeneration: 1000 });
    for (let i = 0; i < 50_000; i++) index.add(`k${i}`);
    expect(index.size).toBeLessThanOrEqual(2000);
    expect(index.has('k49999')).toBe(true);
    expect(index.has('k0')).toBe(false);
  });
});

describe('DeliveryClaims', () => {
  it('a copy under another delivery id is the same delivery (any key known)', () => {
    const claims = new DeliveryClaims();
    expect(claims.claim(['v1:aa', 'id:del_1'])).toBe('first');
    claims.settle(['v1:aa', 'id:del_1'], 200);
    expect(claims.claim(['v1:aa', 'id:del_2'])).toBe('seen');
    expect(claims.claim(['v1:bb', 'id:del_1'])).toBe('seen');
    expect(claims.claim(['v1:bb', 'id:del_3'])).toBe('first');
  });

  it('copies in flight wait for the first; a failed first lets one retry', async () => {
    const claims = new DeliveryClaims();
    expect(claims.claim(['v1:aa', 'id:del_a'])).toBe('first');
    const sameId = claims.claim(['v1:cc', 'id:del_a']);
    const sameBytes = claims.claim(['v1:aa', 'id:del_z']);
    expect(sameId).toBeInstanceOf(Promise);
    expect(sameBytes).toBeInstanceOf(Promise);
    claims.settle(['v1:aa', 'id:del_a'], null); // the first was not taken
    expect(await sameId).toBeNull();
    expect(await sameBytes).toBeNull();
    expect(claims.claim(['v1:aa', 'id:del_a'])).toBe('first'); // the retry
    const later = claims.claim(['id:del_a']);
    claims.settle(['v1:aa', 'id:del_a'], 201);
    expect(await later).toBe(201);
    expect(claims.claim(['id:del_a'])).toBe('seen');
    expect(claims.inFlight).toBe(0);
  });
});
