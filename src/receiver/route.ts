// `--route 'render.*=http://localhost:4000/r'`: event globs to forward targets; the first match wins and
// `--forward-to` catches the rest.
import { globToRegExp } from '../events/glob.js';

export interface Route {
  pattern: string;
  url: string;
}

interface CompiledRoute extends Route {
  regex: RegExp;
}

/** Parses `<event-glob>=<url>`; throws a plain Error naming the problem (the command wraps it as a UsageError). */
export function parseRoute(value: string): Route {
  const eq = value.indexOf('=');
  if (eq <= 0 || eq === value.length - 1)
    throw new Error(`invalid route "${value}": use <event-glob>=<url>, e.g. 'render.*=http://localhost:4000/r'`);
  const pattern = value.slice(0, eq).trim();
  const url = value.slice(eq + 1).trim();
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`invalid route "${value}": "${url}" is not a url`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new Error(`invalid route "${value}": only http and https urls`);
  if (!/^[\w.*?-]+$/.test(pattern))
    throw new Error(`invalid route "${value}": the event glob may use letters, digits, ".", "-", "*" and "?"`);
  return { pattern, url };
}

export { globToRegExp, matchesGlob } from '../events/glob.js';

export class Router {
  readonly #routes: CompiledRoute[];
  readonly #fallback: string | undefined;

  constructor(routes: readonly Route[], fallback: string | undefined) {
    this.#routes = routes.map((r) => ({ ...r, regex: globToRegExp(r.pattern) }));
    this.#fallback = fallback;
  }

  get empty(): boolean {
    return this.#routes.length === 0 && this.#fallback === undefined;
  }

  /** Where a verified delivery of `event` goes, or undefined to answer it ourselves. */
  target(event: string | null): string | undefined {
    if (event !== null) for (const r of this.#routes) if (r.regex.test(event)) return r.url;
    return this.#fallback;
  }
}
