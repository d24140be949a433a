// Flag values shared by sign/send (and usable by replay/check): unix timestamps, expected statuses, timeouts.
import { UsageError } from '../errors.js';
import { parseDurationMs } from '../store/settings.js';

/** `--timestamp 1700000000` → unix seconds; refuses milliseconds, which would sign something no receiver accepts. */
export function parseUnixSeconds(value: string, flag: string): number {
  const text = value.trim();
  if (!/^\d{1,15}$/.test(text)) {
    throw new UsageError(`${flag}: expected unix seconds, got "${value}"`, { hint: 'e.g. 1700000000 (date +%s)' });
  }
  const n = Number(text);
  if (n > 1e11) {
    throw new UsageError(`${flag}: ${n} looks like milliseconds`, {
      hint: `Pictify uses unix seconds: ${Math.floor(n / 1000)}`,
    });
  }
  return n;
}

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
  if (items.length === 0) throw new UsageError(`${flag}: give a status such as 2xx, 401 or 200,409`);
  const exact = new Set<number>();
  const classes = new Set<number>();
  for (const item of items) {
    if (/^[1-5]xx$/.test(item)) classes.add(Number(item[0]));
    else if (/^[1-5]\d\d$/.test(item)) exact.add(Number(item));
    else
      throw new UsageError(`${flag}: invalid status "${item}"`, {
        hint: 'use a class like 2xx or 4xx, an exact code like 401, or a comma list',
      });
  }
  return {
    text: items.join(','),
    matches: (status) => exact.has(status) || classes.has(Math.floor(status / 100)),
  };
}

export const DEFAULT_EXPECT = '2xx';

/** Pictify waits 30 s for a receiver; so does send by default. */
export const DEFAULT_SEND_TIMEOUT_MS = 30_000;

/** `--timeout 300` is milliseconds (as the flag's help says); `--timeout 5s`, `2m` and `1500ms` work too. */
export function parseTimeoutMs(value: string, flag = '--timeout'): number {
  const text = value.trim();
  const ms = /^\d+$/.test(text) ? Number(text) : parseDurationMs(text, flag);
  if (!Number.isFinite(ms) || ms < 1) throw new UsageError(`${flag}: must be at least 1 ms, got "${value}"`);
  if (ms > 3_600_000) throw new UsageError(`${flag}: at most 1h, got "${value}"`);
  return ms;
}
