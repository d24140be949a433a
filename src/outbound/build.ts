// What Pictify puts on the wire for one delivery: raw JSON body, the signature over exactly those bytes,
// the event name and a delivery id. Pure; used by send, replay, check, the emulator and demo.
import { randomBytes } from 'node:crypto';
import { signPayload } from '../signing/sign.js';
import { checkHeaderName, checkHeaders, checkHeaderValue } from './header-value.js';

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
  /** Where the event name and delivery id came from, for the error when one cannot be a header value. */
  sources?: { event?: string; deliveryId?: string };
}

/** Throws a UsageError naming the source when a value would smuggle a header (CR/LF) or is not sendable. */
export function buildDelivery(input: BuildDeliveryInput): SignedRequest {
  if (input.event) checkHeaderValue('X-Pictify-Event', input.event, input.sources?.event ?? 'the event name');
  checkHeaderValue('X-Pictify-Delivery-Id', input.deliveryId, input.sources?.deliveryId ?? 'the delivery id');
  if (input.extraHeaders) checkHeaders(input.extraHeaders, (name) => `header ${name}`);
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
  const name = value.slice(0, i).trim();
  const headerValue = value.slice(i + 1).trim();
  checkHeaderName(name, '--header');
  checkHeaderValue(name, headerValue, '--header');
  return [name, headerValue];
}
