// Turns whatever fetch threw into a small verdict: what went wrong, and whether another attempt can help.
// fetch wraps the real cause (`TypeError: fetch failed` → cause with an errno code), sometimes twice, and
// happy-eyeballs connects report an AggregateError; so we walk the chain looking for a code.

export type NetworkFailureKind = 'refused' | 'dns' | 'dns_temporary' | 'reset' | 'timeout' | 'unreachable' | 'other';

export interface NetworkFailure {
  kind: NetworkFailureKind;
  /** errno / undici code when there is one, e.g. ECONNREFUSED, UND_ERR_HEADERS_TIMEOUT. */
  code?: string;
  retryable: boolean;
  /** The innermost human-readable message, for the "other" case. */
  detail: string;
}

const KIND_BY_CODE: Record<string, NetworkFailureKind> = {
  ECONNREFUSED: 'refused',
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns_temporary',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  ECONNABORTED: 'reset',
  UND_ERR_SOCKET: 'reset',
  UND_ERR_CLOSED: 'reset',
  ETIMEDOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  ENETDOWN: 'unreachable',
  EHOSTDOWN: 'unreachable',
};

// NXDOMAIN will not start resolving in the next two seconds: a typo'd --base-url should fail at once.
// EAI_AGAIN is the resolver's own "temporary" answer, so that one is retried.
const NOT_RETRYABLE = new Set<NetworkFailureKind>(['dns']);

// fetch refuses some URLs up front with a TypeError that looks like a network error; retrying cannot help.
const PERMANENT_MESSAGE = /bad port|invalid url|unsupported protocol|not supported|credentials/i;

function chain(err: unknown): unknown[] {
  const seen: unknown[] = [];
  let current: unknown = err;
  while (current !== null && current !== undefined && seen.length < 8 && !seen.includes(current)) {
    seen.push(current);
    if (current instanceof AggregateError && current.errors.length > 0) seen.push(...current.errors.slice(0, 4));
    current = (current as { cause?: unknown }).cause;
  }
  return seen;
}

function codeOf(value: unknown): string | undefined {
  const code = (value as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** undefined means "not a network failure": a bug or an abort, to be rethrown as is. */
export function classifyNetworkError(err: unknown): NetworkFailure | undefined {
  const links = chain(err);
  const innermost = links[links.length - 1];
  const detail = innermost instanceof Error ? innermost.message : String(innermost);

  for (const link of links) {
    const code = codeOf(link);
    const kind = code === undefined ? undefined : KIND_BY_CODE[code];
    if (kind) return { kind, code, retryable: !NOT_RETRYABLE.has(kind), detail };
    if (link instanceof Error && link.name === 'TimeoutError') return { kind: 'timeout', retryable: true, detail };
  }
  // fetch signals every transport failure as a TypeError ("fetch failed", msw's "Failed to fetch").
  if (err instanceof TypeError) {
    const permanent = links.some((l) => l instanceof Error && PERMANENT_MESSAGE.test(l.message));
    return { kind: 'other', code: codeOf(links.find((l) => codeOf(l))), retryable: !permanent, detail };
  }
  return undefined;
}

export function describeRetryReason(failure: NetworkFailure): string {
  return failure.code ?? (failure.kind === 'other' ? `network error: ${failure.detail}` : failure.kind);
}
