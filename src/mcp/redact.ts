// The last line of defence: every message the server writes passes through here, so a secret that reached a
// result, an error or a log line by any path (an API echo, a payload that quotes one, a validation message) leaves
// as [redacted]. Secrets are matched by shape (whsec_…) and by value (the stored ones, the env's, those a model gave).
export const REDACTED = '[redacted]';

const SECRET_SHAPE = /whsec_[A-Za-z0-9+/=_-]+/g;
/** Shorter values would blank out ordinary words; a real secret is far longer. */
const MIN_KNOWN_LENGTH = 8;

export function redactText(text: string, known: Iterable<string>): string {
  let out = text.replace(SECRET_SHAPE, REDACTED);
  for (const secret of known) if (secret.length >= MIN_KNOWN_LENGTH) out = out.split(secret).join(REDACTED);
  return out;
}

/** A copy of a JSON-like value with every string (keys included) redacted. */
export function redactDeep<T>(value: T, known: readonly string[]): T {
  if (typeof value === 'string') return redactText(value, known) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, known)) as T;
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[redactText(key, known)] = redactDeep(v, known);
    return out as T;
  }
  return value;
}

/** Header names whose values are credentials: shown as [redacted] in what the tools return. */
const CREDENTIAL_HEADER = /auth|cookie|token|secret|password|api[-_]?key/i;

export function redactCredentialHeaders(headers: Record<string, string | string[]>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) out[name] = CREDENTIAL_HEADER.test(name) ? REDACTED : value;
  return out;
}
