// What Pictify puts on the wire for one delivery: raw JSON body, the signature over exactly those bytes,
// the event name and a delivery id. Pure; used by send, replay, check, the emulator and demo.
import { randomBytes } from 'node:crypto';
import { signPayload } from '../signing/sign.js';

export interface SignedRequest {
  body: Buffer;
  headers: Record<string, string>;
}

export function newDeliveryId(): string {
  return `del_${randomBytes(12).toString('hex')}`;
}

export interface BuildDeliveryInput {
  body: Buffer | string;
  /** One secret, or several to emit one v1 per secret (rotation). Omitted: unsigned (check's "missing header"). */
  secret?: string | string[];
  /** Unix seconds. */
  timestamp: number;
  event?: string;
  deliveryId: string;
  /** Added last, so a user's `--header` can override ours on purpose. */
  extraHeaders?: Record<string, string>;
}

export function buildDelivery(input: BuildDeliveryInput): SignedRequest {
  const body = Buffer.isBuffer(input.body) ? input.body : Buffer.from(input.body);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (input.secret !== undefined) {
    headers['x-pictify-signature'] = signPayload({ payload: body, secret: input.secret, timestamp: input.timestamp });
  }
  if (input.event) headers['x-pictify-event'] = input.event;
  headers['x-pictify-delivery-id'] = input.deliveryId;
  for (const [k, v] of Object.entries(input.extraHeaders ?? {})) headers[k.toLowerCase()] = v;
  return { body, headers };
}

/** Parses `--header 'Name: value'` into a pair; throws a plain Error the command turns into a UsageError. */
export function parseHeaderArg(value: string): [string, string] {
  const i = value.indexOf(':');
  if (i <= 0) throw new Error(`invalid header "${value}": use "Name: value"`);
  return [value.slice(0, i).trim(), value.slice(i + 1).trim()];
}
