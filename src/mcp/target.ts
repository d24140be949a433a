// Where a tool may send a signed delivery. A model can be talked into anything by text it reads (a payload, a web
// page), and a fresh signature made with a stored secret is worth stealing: it would pass the user's own receiver
// for five minutes. So deliveries signed with a secret the model did not give go only to this machine or to the
// subscription's own target url (where Pictify sends anyway), unless the user started the server with
// `--allow-remote`.
import { isLoopbackHostname } from '../inspector/replay.js';
import type { SigningSecret } from './secrets.js';

export function parseToolUrl(text: string, field: string): URL {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new Error(`${field}: not a url: "${text.slice(0, 200)}" (give e.g. http://127.0.0.1:3000/webhooks)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`${field}: only http and https urls are supported, got "${url.protocol.replace(/:$/, '')}"`);
  }
  if (url.username || url.password) throw new Error(`${field}: a url with user:password@ is not a delivery target`);
  return url;
}

/** Throws when `url` is not somewhere `signing` may be sent. */
export function checkSignedTarget(url: URL, signing: SigningSecret, allowRemote: boolean): void {
  if (allowRemote || signing.given || isLoopbackHostname(url.hostname)) return;
  if (signing.targetUrl !== undefined && sameTarget(url, signing.targetUrl)) return;
  throw new Error(
    `${url.host} is not on this machine${signing.targetUrl ? ' nor the subscription’s target url' : ''}: ` +
      'deliveries signed with a stored secret go to loopback addresses or the subscription’s own url ' +
      '(the user can start the server with --allow-remote)',
  );
}

function sameTarget(url: URL, stored: string): boolean {
  try {
    const other = new URL(stored);
    return other.origin === url.origin && other.pathname === url.pathname;
  } catch {
    return false;
  }
}
