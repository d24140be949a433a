// Where a delivery goes, with its path exactly as given. `new URL()` (and so fetch and undici.request) resolve
// `/x/../admin` to `/admin` and `%2e%2e` stays but `..` does not: a stored or typed path must reach the receiver
// byte for byte, so the origin is parsed and the path is kept as text and handed to the dispatcher unchanged.
import { InputError } from '../errors.js';

export interface Target {
  /** scheme://host:port, from URL parsing (so host spellings are canonical). */
  origin: string;
  /** Path and query as written, never re-normalised; "/" when there was none. */
  path: string;
  /** What messages and --json show: origin + path. */
  href: string;
}

const ABSOLUTE = /^([a-z][a-z0-9+.-]*:)\/\/([^/?#]*)([^#]*)/i;
// undici refuses anything else in a request target; checked here so the user gets a usage error, not a crash.
const PATH_CHARS = /^[\u0021-\u00ff]*$/;

/** `text` is an http(s) URL (already validated), or a scheme-less loopback `host:port/path` meaning http. */
export function parseTarget(text: string, flag: string): Target {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  const match = ABSOLUTE.exec(withScheme.trim());
  let url: URL;
  try {
    if (!match) throw new Error('no authority');
    url = new URL(`${match[1]}//${match[2]}`);
  } catch {
    throw new InputError(`${flag}: invalid url "${text}"`, 'invalid_url');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError(`${flag}: only http and https urls are supported, got "${url.protocol}"`, 'unsupported_url');
  }
  if (url.username || url.password) {
    throw new InputError(`${flag}: a url with user:password@ is not a delivery target: "${text}"`, 'unsupported_url');
  }
  const raw = match![3];
  const path = raw === '' ? '/' : raw.startsWith('/') ? raw : `/${raw}`;
  if (!PATH_CHARS.test(path)) {
    throw new InputError(
      `${flag}: the path contains spaces or control characters: ${JSON.stringify(path)}`,
      'unsupported_url',
    );
  }
  return { origin: url.origin, path, href: `${url.origin}${path}` };
}

/** For URLs built in code (already normalised on purpose). */
export function targetOfUrl(url: URL): Target {
  const path = `${url.pathname}${url.search}`;
  return { origin: url.origin, path, href: `${url.origin}${path}` };
}
