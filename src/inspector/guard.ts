// What keeps the inspector safe by construction: it answers only to the loopback host:port it serves (a page on
// evil.example that rebinds its DNS to 127.0.0.1 still sends Host: evil.example), only to holders of the per-run
// token, and changes state only for same-origin requests. Pure: request facts in, a refusal or nothing out.
import { timingSafeEqual } from 'node:crypto';

export interface Refusal {
  status: number;
  error: string;
  message: string;
}

export interface GuardRules {
  port: number;
  token: string;
}

/** Hosts a browser may use for the server bound on 127.0.0.1. */
export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

export function checkHost(host: string | undefined, rules: GuardRules): Refusal | undefined {
  if (host !== undefined && allowedHosts(rules.port).includes(host.toLowerCase())) return undefined;
  return {
    status: 403,
    error: 'forbidden_host',
    message: `this inspector answers only to http://127.0.0.1:${rules.port} (Host was ${JSON.stringify(host ?? null)})`,
  };
}

export function tokenMatches(given: string | null | undefined, token: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function checkToken(given: string | null | undefined, rules: GuardRules): Refusal | undefined {
  if (tokenMatches(given, rules.token)) return undefined;
  return {
    status: 401,
    error: given ? 'bad_token' : 'missing_token',
    message: 'open the inspector with the link listen printed: it carries this run’s ?token=…',
  };
}

/** State-changing requests: the Origin must be the page's own origin (the Host it was served on). */
export function checkOrigin(origin: string | undefined, host: string | undefined): Refusal | undefined {
  if (origin !== undefined && host !== undefined && origin.toLowerCase() === `http://${host.toLowerCase()}`)
    return undefined;
  return {
    status: 403,
    error: 'cross_origin',
    message:
      'a state-changing request must come from the inspector page itself ' +
      `(Origin was ${JSON.stringify(origin ?? null)})`,
  };
}

/** Scripts and styles from this origin only; no inline script, no other origin, no framing, no forms. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
};
