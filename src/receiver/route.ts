// `--route 'render.*=http://localhost:4000/r'` (parsed by cli/flags.ts): event globs to forward targets; the first
// match wins and `--forward-to` catches the rest.
import { globToRegExp } from '../events/glob.js';

export interface Route {
  pattern: string;
  url: string;
}

interface CompiledRoute extends Route {
  regex: RegExp;
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
