// Joins the configured base with an API path without losing a base path prefix (a proxy mounted at
// https://host/pictify/) and without doubling or dropping slashes. No version prefix: Pictify has none.

import { InputError } from '../errors.js';

export type QueryValue = string | number | boolean | null | undefined;

export interface ParsedBase {
  url: URL;
  /** The base path without trailing slashes ('' for a bare host); URL would turn '' back into '/'. */
  path: string;
  /** What error messages show: scheme, host and path, never credentials or a query string. */
  display: string;
}

export function parseBaseUrl(baseUrl: string): ParsedBase {
  let url: URL;
  try {
    url = new URL(baseUrl.trim());
  } catch {
    throw new InputError(`invalid API base URL: ${JSON.stringify(baseUrl)}`, 'invalid_base_url');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError(`API base URL must be http(s): ${url.protocol}`, 'invalid_base_url');
  }
  url.search = '';
  url.hash = '';
  url.username = '';
  url.password = '';
  const path = url.pathname.replace(/\/+$/, '');
  return { url, path, display: `${url.origin}${path}` };
}

/** `path` must start with "/" and have its dynamic segments already encoded (see pathSegment). */
export function joinUrl(base: ParsedBase, path: string, query?: Record<string, QueryValue>): URL {
  const url = new URL(base.url.href);
  url.pathname = `${base.path}/${path.replace(/^\/+/, '')}`;
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    url.searchParams.append(key, String(value));
  }
  return url;
}

/**
 * One encoded path segment. "." and ".." pass through encodeURIComponent untouched and URL parsing
 * would then resolve them (DELETE /webhook-subscriptions/.. → DELETE /), so they are refused outright.
 * ("%2e" is safe: it is encoded to "%252e".)
 */
export function pathSegment(value: string, what = 'uid'): string {
  const trimmed = value.trim();
  if (trimmed === '' || trimmed === '.' || trimmed === '..') {
    throw new InputError(`invalid subscription ${what}: ${JSON.stringify(value)}`, 'invalid_uid');
  }
  return encodeURIComponent(trimmed);
}
