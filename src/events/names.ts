import { EVENT_CATALOGUE } from './catalogue/index.js';

type Catalogue = typeof EVENT_CATALOGUE;
/** The entries' names as a tuple in the same order (a mapped type over a type parameter keeps a tuple a tuple). */
type NamesOf<T extends readonly unknown[]> = { readonly [I in keyof T]: T[I] extends { name: infer N } ? N : never };

/** Every event Pictify delivers, in the catalogue's order. */
export const EVENT_NAMES = EVENT_CATALOGUE.map((entry) => entry.name) as unknown as NamesOf<Catalogue>;

export type EventName = Catalogue[number]['name'];

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && (EVENT_NAMES as readonly string[]).includes(value);
}

/** The catalogue entry of `name`. */
export type EntryOf<N extends EventName> = Extract<Catalogue[number], { name: N }>;

const byName = new Map<string, Catalogue[number]>(EVENT_CATALOGUE.map((entry) => [entry.name, entry]));

export function eventEntry<N extends EventName>(name: N): EntryOf<N>;
export function eventEntry(name: string): Catalogue[number] | undefined;
export function eventEntry(name: string): Catalogue[number] | undefined {
  return byName.get(name);
}

/**
 * One sentence saying which of `events` may not be subscribable and where those go instead, or undefined when
 * Pictify's API reference lists them all for subscriptions (unknown names are not its business). The docs disagree
 * with each other, so this is said, not enforced.
 */
export function notSubscribable(events: readonly string[]): string | undefined {
  const elsewhere = events.flatMap((name) => {
    const subscribable = eventEntry(name)?.subscribable;
    return subscribable === undefined || subscribable === true ? [] : [{ name, ...subscribable }];
  });
  if (elsewhere.length === 0) return undefined;
  const names = [...new Set(elsewhere.map((e) => e.name))];
  const where = [...new Set(elsewhere.map((e) => e.deliveredTo))];
  const listed = EVENT_CATALOGUE.filter((entry) => entry.subscribable === true).map((entry) => entry.name);
  return (
    `${names.join(', ')} may not be subscribable: Pictify's API reference lists only ${listed.join(', ')} for ` +
    `subscriptions; ${where.join('; ')}`
  );
}
