import { describe, expect, it } from 'vitest';

import { deliveryKeys } from '../../../src/signing/delivery-keys.js';

const V1 = 'AB'.repeat(32);

describe('deliveryKeys', () => {
  it('names the verified signature (lowercased) and the delivery id', () => {
    expect(deliveryKeys({ deliveryId: 'del_1', verifiedSignatures: [V1] })).toEqual([
      `v1:${'ab'.repeat(32)}`,
      'id:del_1',
    ]);
  });

  it('has no id key when the request carried no delivery id, and no repeats', () => {
    expect(deliveryKeys({ deliveryId: '', verifiedSignatures: [V1, V1.toLowerCase()] })).toEqual([
      `v1:${'ab'.repeat(32)}`,
    ]);
    expect(deliveryKeys({ deliveryId: null, verifiedSignatures: [] })).toEqual([]);
  });
});
