// Reading a verified body as JSON, shared by listen's judge and the library so both refuse the same bodies: bytes
// that are not UTF-8 are not JSON text (RFC 8259 §8.1), whatever a lenient decoder would make of them. The
// Content-Type rule lives here too, so listen and every adapter give one verdict for one request.
import { isUtf8 } from 'node:buffer';
import type { Payload } from './compute.js';

/** Why a verified body is not JSON. A class, so success returns the parsed value itself (nothing to allocate). */
export class InvalidJsonBody {
  constructor(readonly message: string) {}
}

const BOM = '\uFEFF';

function utf8Text(payload: Payload): string | undefined {
  if (typeof payload === 'string') return payload;
  if (!isUtf8(payload)) return undefined;
  const bytes = Buffer.isBuffer(payload)
    ? payload
    : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  return bytes.toString('utf8');
}

/** Parses a raw body that already verified. A leading byte-order mark is ignored, as RFC 8259 allows. */
export function decodeJsonBody(payload: Payload): unknown {
  const text = utf8Text(payload);
  if (text === undefined) return new InvalidJsonBody('the body is not valid UTF-8, so it is not JSON');
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(BOM.length) : text);
  } catch (error) {
    return new InvalidJsonBody(`the body is not valid JSON: ${(error as Error).message}`);
  }
}

/** `application/json` or any `application/*+json`, parameters allowed (`; charset=utf-8`); case-insensitive. */
export function isJsonContentType(value: string | undefined): boolean {
  if (!value) return false;
  const semi = value.indexOf(';');
  const type = (semi === -1 ? value : value.slice(0, semi)).trim().toLowerCase();
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

/**
 * Why a request is refused with 415 before its body is read, or undefined when its Content-Type is JSON. Pictify
 * always sends `application/json`; text/plain, form data or no type at all is not a delivery, however it is signed.
 */
export function unsupportedContentType(value: string | undefined): string | undefined {
  if (isJsonContentType(value)) return undefined;
  return `expected Content-Type: application/json, got ${value ? JSON.stringify(value.slice(0, 80)) : 'none'}`;
}
