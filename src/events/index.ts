// The event catalogue (one entry per event in ./catalogue/) and what is derived from it: names, types, samples, the
// documented field lists, the validator, whether an event can be subscribed to.
export { buildSampleEvent, type BuildSampleOptions } from './build.js';
export { EVENT_CATALOGUE } from './catalogue/index.js';
export { DOCUMENTED_FIELDS, FIELD_SCHEMA, type FieldKind, type FieldSpec } from './fields.js';
export { EVENT_NAMES, eventEntry, isEventName, notSubscribable, type EntryOf, type EventName } from './names.js';
export { SAMPLE_EVENTS } from './samples.js';
export { applySet, parseSetArgument, parseSetValue } from './set.js';
export type * from './types.js';
export { formatFieldErrors, validateEvent, type FieldError, type ValidationResult } from './validate.js';
