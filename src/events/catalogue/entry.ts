// The shape of one catalogue entry: everything the code knows about one Pictify event, in one object. Every part is
// required, so an entry that leaves one out does not compile; the rest of the code derives its lists and maps
// (names, types, samples, documented fields, the validator's schema, listen's line) from the entries.

/** `(string & {})` keeps editor completion for the known values while accepting new ones. */
export type Open<T extends string> = T | (string & {});

export type JsonObject = { [key: string]: unknown };

/**
 * Every event's data may carry the delivery id (also sent as X-Pictify-Delivery-Id): Pictify's idempotency
 * example reads `data.deliveryId`.
 */
export interface DeliveryData {
  deliveryId?: string;
}

/** The envelope of one delivery of event `N` carrying `D`. */
export interface Envelope<N extends string, D> {
  event: N;
  /** ISO 8601 time the event happened. */
  timestamp: string;
  data: D;
}

export type FieldKind = 'string' | 'number' | 'integer' | 'object' | 'datetime';

export interface FieldSpec {
  kind: FieldKind;
  /** Absent → error. Optional fields are checked only when present, and may be null. */
  required?: boolean;
}

export const req = (kind: FieldKind): FieldSpec => ({ kind, required: true });
export const opt = (kind: FieldKind): FieldSpec => ({ kind });

/** Shortens a value for listen's line (to 60 characters or `max`); undefined for one not worth showing (absent,
 * null, ''). */
export type Brief = (value: unknown, max?: number) => string | undefined;

export interface EventEntry<N extends string, D extends object> {
  name: N;
  /**
   * `true` when Pictify's API reference lists the event for POST /webhook-subscriptions; otherwise where it is
   * delivered instead. The docs disagree, so the CLI warns and does not refuse.
   */
  subscribable: true | { deliveredTo: string };
  /**
   * Every `data` field Pictify documents, in the docs' order, with its type: the validator's schema. Keyed by the
   * payload type, so a field in one and not the other does not compile.
   */
  fields: { readonly [K in keyof D]-?: FieldSpec };
  /** The sample's `data`, with every documented field, values from Pictify's own examples. */
  sample: Required<D>;
  /** Date fields of the sample that move with `now` when a sample is built, as seconds after it. */
  timesFromNow: { readonly [K in keyof D]?: number };
  /**
   * The `key=value` pairs listen's line shows for a delivery, in order (undefined values are left out). `data` is
   * the delivery's as received, not validated: read it defensively.
   */
  describe(data: JsonObject, brief: Brief): Record<string, string | undefined>;
  /**
   * Type-only: the payload type, so the catalogue can name it (never set at run time).
   * @internal
   */
  readonly dataType?: D;
}

/** Pictify writes whole seconds; every sample is stamped with this time unless built with `now`. */
export const SAMPLE_TIME = '2026-01-29T10:30:00Z';
