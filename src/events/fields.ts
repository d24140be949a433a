import { EVENT_CATALOGUE } from './catalogue/index.js';
import type { FieldSpec } from './catalogue/entry.js';
import type { EventName } from './names.js';

// What Pictify documents, and how the validator checks it, from the catalogue's entries (src/events/catalogue/):
// each entry's `fields` lists the documented data fields in the docs' order with their types.

export type { FieldKind, FieldSpec } from './catalogue/entry.js';

const byEvent = <T>(of: (entry: (typeof EVENT_CATALOGUE)[number]) => T) =>
  Object.fromEntries(EVENT_CATALOGUE.map((entry) => [entry.name, of(entry)])) as { readonly [N in EventName]: T };

/** Every field shown in Pictify's examples, per event, as dot paths. */
export const DOCUMENTED_FIELDS = byEvent((entry): readonly string[] => [
  'event',
  'timestamp',
  ...Object.keys(entry.fields).map((name) => `data.${name}`),
]);

/**
 * Types of the `data` fields, required ones first (the validator reports in this order). Required: the few fields an
 * event means nothing without. Everything else is optional, because Pictify's examples differ from page to page and
 * a validator that rejects real deliveries is worse than none.
 */
export const FIELD_SCHEMA = byEvent((entry): Readonly<Record<string, FieldSpec>> => {
  const fields = Object.entries(entry.fields as Record<string, FieldSpec>);
  return Object.fromEntries([...fields.filter(([, f]) => f.required), ...fields.filter(([, f]) => !f.required)]);
});
