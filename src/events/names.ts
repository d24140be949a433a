/** Every event Pictify delivers to webhook subscriptions. */
export const EVENT_NAMES = [
  'render.completed',
  'render.failed',
  'batch.completed',
  'batch.failed',
  'binding.updated',
  'binding.failed',
] as const;

export type EventName = (typeof EVENT_NAMES)[number];

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && (EVENT_NAMES as readonly string[]).includes(value);
}
