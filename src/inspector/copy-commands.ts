// "Copy as curl" and "copy as pictify-hooks send" for one stored delivery. Neither ever carries a secret: curl
// resends the stored signature untouched, and send names the secret's source (--subscription uid or an env var).
import { curlCommand, shellQuote } from '../outbound/curl.js';
import { sourceFromLabel, WEBHOOK_SECRET_ENV, type SecretSource } from '../signing/secret-source.js';
import { resendHeaders } from '../outbound/resend-headers.js';
import { decodeBody, type EventRecord } from '../store/event-store-record.js';

export interface CopyCommands {
  /** undefined when the body is binary (no shell argument carries it). */
  curl?: string;
  send?: string;
}

/**
 * How `send` gets the secret again: a subscription's is on file; one given to listen by flag is the user's to
 * supply again; the env var (or nothing) is send's own default. The self-test's secret lived for one run only.
 */
function sendSecretFlag(source: SecretSource): string {
  switch (source.kind) {
    case 'subscription':
      return ` --subscription ${shellQuote(source.uid)}`;
    case 'flag':
      return ` --secret "$${WEBHOOK_SECRET_ENV}"`;
    case 'env':
    case 'self-test':
      return '';
  }
}

export function copyCommands(record: EventRecord, url: string): CopyCommands {
  if (record.bodyOmitted) return {};
  const body = decodeBody(record);
  const out: CopyCommands = { curl: curlCommand({ url, headers: resendHeaders(record), body }) };
  if (record.bodyEncoding === 'utf8' && !record.body.includes('\0')) {
    const label = record.verdict.matchedLabel;
    const secret = label === undefined ? '' : sendSecretFlag(sourceFromLabel(label));
    const id = record.deliveryId ? ` --delivery-id ${shellQuote(record.deliveryId)}` : '';
    out.send =
      `printf '%s' ${shellQuote(record.body)} | pictify-hooks send --url ${shellQuote(url)} --payload -` +
      `${id}${secret}`;
  }
  return out;
}
