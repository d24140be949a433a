import { createHmac } from 'node:crypto';
import { payloadBytes, type Payload } from './compute.js';
import { SIGNATURE_HEADER } from './constants.js';

// Recognises signatures from other webhook providers, because pasting the wrong header (or a header from a
// look-alike sender) is a common reason a Pictify verification fails.

export interface HeaderLine {
  /** The header name when the user pasted a whole "Name: value" line. */
  name?: string;
  value: string;
}

/** Splits "X-Pictify-Signature: t=…" into name and value; a bare value is returned as is. */
export function splitHeaderLine(raw: string): HeaderLine {
  const m = /^\s*([A-Za-z][A-Za-z0-9-]*)\s*:\s*(.*)$/s.exec(raw);
  return m ? { name: m[1], value: m[2] } : { value: raw };
}

/** What a known foreign header name means, or undefined for Pictify's own and unknown names. */
export function describeForeignHeaderName(name: string): string | undefined {
  const n = name.toLowerCase();
  if (n === SIGNATURE_HEADER.toLowerCase()) return undefined;
  if (n.startsWith('x-hub-signature')) {
    return `${name} is GitHub's signature header (sha256=<hex> of the body, no timestamp), not ${SIGNATURE_HEADER}`;
  }
  if (n === 'stripe-signature') {
    return (
      `${name} has the same t=,v1= format as ${SIGNATURE_HEADER}, but it is signed with a Stripe secret, ` +
      `not a Pictify one`
    );
  }
  if (n === 'webhook-signature' || n === 'svix-signature') {
    return (
      `${name} is a Svix / Standard Webhooks header (v1,<base64> over "<id>.<timestamp>.<body>"), not ` +
      `${SIGNATURE_HEADER}`
    );
  }
  return `${name} is not ${SIGNATURE_HEADER}`;
}

function plainHmacMatches(
  algorithm: 'sha256' | 'sha1',
  hex: string,
  secrets: readonly string[],
  payload: Payload,
): boolean {
  const bytes = payloadBytes(payload);
  return secrets.some((s) => createHmac(algorithm, s).update(bytes).digest('hex') === hex.toLowerCase());
}

/** Describes a header value written in another provider's scheme, or undefined when it looks like none. */
export function describeForeignValue(value: string, secrets: readonly string[], payload: Payload): string | undefined {
  const v = value.trim();
  const github = /^(sha256|sha1)=([0-9a-fA-F]+)$/.exec(v);
  if (github) {
    const algorithm = github[1] as 'sha256' | 'sha1';
    const header = algorithm === 'sha1' ? 'X-Hub-Signature' : 'X-Hub-Signature-256';
    const same = plainHmacMatches(algorithm, github[2], secrets, payload)
      ? ` It is HMAC-${algorithm.toUpperCase()}(secret, body): the sender signs GitHub-style, without Pictify's ` +
        `"<t>." prefix.`
      : '';
    return (
      `The value looks like GitHub's ${header} (${algorithm}=<hex>), not ${SIGNATURE_HEADER} (t=<unix ` +
      `s>,v1=<hex>).${same}`
    );
  }
  if (/^v1,[A-Za-z0-9+/]+=*(\s+v1,[A-Za-z0-9+/]+=*)*$/.test(v)) {
    return (
      `The value looks like a Svix / Standard Webhooks signature (v1,<base64>), not ${SIGNATURE_HEADER} ` +
      `(t=<unix s>,v1=<hex>).`
    );
  }
  if (/^[0-9a-fA-F]{64}$/.test(v)) {
    const same = plainHmacMatches('sha256', v, secrets, payload)
      ? ' It is HMAC-SHA256(secret, body): the sender signs the body alone, without a timestamp.'
      : '';
    return `The value is a bare hex digest with no t= timestamp; ${SIGNATURE_HEADER} is t=<unix s>,v1=<hex>.${same}`;
  }
  return undefined;
}
