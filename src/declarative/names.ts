// Names: what a file may call a subscription, the env variable its secret goes to, and the names `import` derives.
import type { Subscription } from '../api/index.js';

export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** `blog-cards` → `PICTIFY_WEBHOOK_SECRET_BLOG_CARDS` (`--secret-env`). */
export function secretEnvName(name: string): string {
  return `PICTIFY_WEBHOOK_SECRET_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/**
 * A readable name for a live subscription: its event and the last meaningful piece of its url
 * (`render-completed-pictify` for render.completed → https://example.com/webhooks/pictify), made unique with `-2`,
 * `-3`… among `taken` (which it extends). Env names must stay unique too, so `a.b` and `a-b` never both appear.
 */
export function deriveName(sub: Subscription, taken: Set<string>): string {
  const event = sub.event.replace(/[^A-Za-z0-9]+/g, '-');
  let tail = '';
  try {
    const url = new URL(sub.targetUrl);
    const segments = url.pathname.split('/').filter((s) => /[A-Za-z0-9]/.test(s));
    tail = (segments.at(-1) ?? url.hostname.split('.')[0] ?? '').toLowerCase();
  } catch {
    // Not a url we can read: the event alone names it.
  }
  tail = tail
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 24);
  const base = (tail && tail !== 'webhooks' && tail !== 'webhook' ? `${event}-${tail}` : event).slice(0, 56);
  const envTaken = new Set([...taken].map(secretEnvName));
  let name = base;
  for (let n = 2; taken.has(name) || envTaken.has(secretEnvName(name)); n++) name = `${base}-${n}`;
  taken.add(name);
  return name;
}
