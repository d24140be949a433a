import { createHmac } from 'node:crypto';

/** A body as received or to be sent: text (signed as UTF-8) or the exact bytes. */
export type Payload = string | Uint8Array;

/** The bytes that are signed. Strings are UTF-8, which is what an HTTP client puts on the wire for JSON. */
export function payloadBytes(payload: Payload): Uint8Array {
  return typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
}

/**
 * hex(HMAC-SHA256(key = secret, message = "<timestamp>.<payload bytes>")).
 *
 * The secret is used exactly as given, `whsec_` prefix included. The prefix and the body are fed to the HMAC
 * separately so that binary bodies are signed byte for byte, never through a string round trip.
 */
export function computeSignature(secret: string, timestamp: number, payload: Payload): string {
  return computeSignatureBytes(secret, timestamp, payload).toString('hex');
}

/** The same HMAC as raw bytes (what a constant-time comparison needs). */
export function computeSignatureBytes(secret: string, timestamp: number, payload: Payload): Buffer {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new RangeError(`timestamp must be a non-negative integer of unix seconds, got ${String(timestamp)}`);
  }
  return createHmac('sha256', secret).update(`${timestamp}.`, 'utf8').update(payloadBytes(payload)).digest();
}
