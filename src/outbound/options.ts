// What send/replay treat as success (`--expect 2xx`), and their defaults.
import { InputError } from '../errors.js';
import { ANSWER_WINDOW_MS } from '../api/contract.js';

export interface ExpectedStatus {
  /** As the user wrote it, normalized: "2xx", "401", "2xx,409". */
  text: string;
  matches(status: number): boolean;
}

/** `--expect 2xx`, `--expect 401`, `--expect 4xx`, `--expect 200,201,409`. */
export function parseExpect(value: string, flag = '--expect'): ExpectedStatus {
  const items = value
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');
  if (items.length === 0)
    throw new InputError(`${flag}: give a status such as 2xx, 401 or 200,409`, 'empty_status_list');
  const exact = new Set<number>();
  const classes = new Set<number>();
  for (const item of items) {
    if (/^[1-5]xx$/.test(item)) classes.add(Number(item[0]));
    else if (/^[1-5]\d\d$/.test(item)) exact.add(Number(item));
    else throw new InputError(`${flag}: invalid status "${item}"`, 'invalid_status');
  }
  return {
    text: items.join(','),
    matches: (status) => exact.has(status) || classes.has(Math.floor(status / 100)),
  };
}

/** Pictify waits 30 s for a receiver; so does send by default. */
export const DEFAULT_SEND_TIMEOUT_MS = ANSWER_WINDOW_MS;
