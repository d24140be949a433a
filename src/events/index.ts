// The event catalogue: names, types, samples as data, the documented field lists and the validator.
export { buildSampleEvent, type BuildSampleOptions } from './build.js';
export { DOCUMENTED_FIELDS, FIELD_SCHEMA, type FieldKind, type FieldSpec } from './fields.js';
export { EVENT_NAMES, isEventName, type EventName } from './names.js';
export { SAMPLE_EVENTS } from './samples.js';
export { applySet, parseSetArgument, parseSetValue } from './set.js';
export type * from './types.js';
export { formatFieldErrors, validateEvent, type FieldError, type ValidationResult } from './validate.js';
