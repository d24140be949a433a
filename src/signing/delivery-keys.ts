// The identities of one delivery for idempotency. Pictify's X-Pictify-Delivery-Id is not covered by the signature,
// so anyone who saw a delivery can resend the same signed bytes under a fresh id; the v1 value is covered (it is the
// HMAC of "<t>.<body>"), so it names the signed bytes themselves. A delivery is a duplicate when either key was
// claimed before. Only the v1 values that verified are keys: an unverified v1 in the header (a sender may list
// several) could be one copied from another delivery, and must not make this one look like a duplicate.

/** The key prefix for a delivery id. */
export const DELIVERY_ID_KEY = 'id:';
/** The key prefix for a verified signature (lowercase hex). */
export const SIGNATURE_KEY = 'v1:';

export interface DeliveryIdentity {
  /** X-Pictify-Delivery-Id, when the request carried one. */
  deliveryId?: string | null;
  /** The v1 values that verified against a secret. */
  verifiedSignatures: readonly string[];
}

/** The keys to claim, signature keys first (they cannot be forged), then the delivery id. */
export function deliveryKeys(identity: DeliveryIdentity): string[] {
  const keys: string[] = [];
  for (const v1 of identity.verifiedSignatures) {
    const key = SIGNATURE_KEY + v1.toLowerCase();
    // A v1 listed twice is one key (no Set: this runs once per delivery, usually for one v1).
    if (!keys.includes(key)) keys.push(key);
  }
  // The two prefixes differ, so the id never repeats a signature key.
  if (identity.deliveryId) keys.push(DELIVERY_ID_KEY + identity.deliveryId);
  return keys;
}
