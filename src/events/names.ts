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
 * Why `name` may not be subscribable, or undefined when Pictify's API reference lists it for subscriptions (and for
 * an event we do not know). The docs disagree with each other, so this is said, not enforced.
 */
export function notSubscribableBecause(name: string): string | undefined {
  const subscribable = eventEntry(name)?.subscribable;
  if (subscribable === undefined || subscribable === true) return undefined;
  const listed = EVENT_CATALOGUE.filter((entry) => entry.subscribable === true).map((entry) => entry.name);
  return `Pictify's API reference lists only ${listed.join(', ')} for subscriptions; ${subscribable.deliveredTo}`;
}
