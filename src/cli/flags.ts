// Flag values, parsed in one place so every command reads `30s`, `1mb`, `render.*` the same way. Loaded at start-up
// (specs reference these parsers), so it imports nothing heavy.
import { UsageError } from '../errors.js';
import { EVENT_NAMES, isEventName, type EventName } from '../events/names.js';

export function parseEventName(value: string): EventName {
  if (!isEventName(value)) {
    throw new UsageError(`unknown event "${value}"`, { hint: `use one of: ${EVENT_NAMES.join(', ')}` });
  }
  return value;
}

export function parsePositiveInt(value: string, flag: string, { min = 1, max = Number.MAX_SAFE_INTEGER } = {}): number {
  if (!/^\d+$/.test(value.trim())) throw new UsageError(`${flag}: expected a whole number, got "${value}"`);
  const n = Number(value);
  if (n < min || n > max) throw new UsageError(`${flag}: must be between ${min} and ${max}, got ${n}`);
  return n;
}

/** Collects a repeatable option into an array (`--secret a --secret b`). */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
