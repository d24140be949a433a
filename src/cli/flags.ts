// Flag values, parsed in one place so every command reads `30s`, `1mb`, `render.*` and `localhost:4000` the same
// way. Durations: a bare number is seconds for every duration flag. Loaded at start-up (specs use these parsers),
// so it imports nothing heavy.
import { UsageError } from './errors.js';
import { isGlob, matchesGlob } from '../events/glob.js';
import { EVENT_NAMES, isEventName, type EventName } from '../events/names.js';
import { closest } from './suggest.js';
import { DURATION_UNITS, formatDuration } from '../output/duration.js';

const prefix = (flag: string | undefined) => (flag ? `${flag}: ` : '');

// ---- counts ---------------------------------------------------------------------------------------------------

export interface Range {
  min?: number;
  max?: number;
}

/** "1 or more", "between 1 and 100", "100 or less": what a range error says instead of MAX_SAFE_INTEGER. */
export function rangeText(min: number, max: number | undefined, unit = ''): string {
  const u = unit ? ` ${unit}` : '';
  if (max === undefined || max >= Number.MAX_SAFE_INTEGER) return `${min}${u} or more`;
  return `between ${min} and ${max}${u}`;
}

/** A whole number (`--limit 20`, `--count 5000`); 1 or more unless said otherwise. */
export function parseCount(value: string, flag: string, { min = 1, max }: Range = {}): number {
  const text = value.trim();
  if (!/^\d+$/.test(text)) throw new UsageError(`${prefix(flag)}expected a whole number, got "${value}"`);
  const n = Number(text);
  if (n < min || (max !== undefined && n > max) || !Number.isSafeInteger(n)) {
    throw new UsageError(`${prefix(flag)}must be ${rangeText(min, max)}, got ${text}`);
  }
  return n;
}

export function parsePort(value: string, flag = '--port'): number {
  const text = value.trim();
  if (!/^\d+$/.test(text)) throw new UsageError(`${prefix(flag)}expected a whole number, got "${value}"`);
  if (Number(text) > 65_535) {
    throw new UsageError(`${prefix(flag)}must be between 0 and 65535, got ${text}`, { hint: '0 picks a free port' });
  }
  return Number(text);
}

/** A factor such as `--retry-scale 0.001`: any number above 0. */
export function parsePositiveNumber(value: string, flag: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) {
    throw new UsageError(`${prefix(flag)}expected a positive number, got "${value}"`);
  }
  return n;
}

// ---- durations ------------------------------------------------------------------------------------------------

const DURATION_HINT = 'use seconds (a bare number) or a unit: 250ms, 30s, 10m, 2h, 7d';

/** "250ms", "30s", "10m", "2h", "7d" or a bare number of SECONDS → milliseconds, within [min, max] ms. */
export function parseDuration(value: string, flag: string, { min = 1, max }: Range = {}): number {
  const match = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|m|h|d)?\s*$/i.exec(value);
  if (!match) throw new UsageError(`${prefix(flag)}invalid duration "${value}"`, { hint: DURATION_HINT });
  const ms = Math.round(Number(match[1]) * DURATION_UNITS[(match[2] ?? 's').toLowerCase()]);
  if (!Number.isSafeInteger(ms)) throw new UsageError(`${prefix(flag)}"${value}" is too large`);
  if (ms < min || (max !== undefined && ms > max)) {
    const bounds =
      max === undefined
        ? `${min <= 1 ? 'more than 0' : `at least ${formatDuration(min)}`}`
        : `between ${formatDuration(min)} and ${formatDuration(max)}`;
    throw new UsageError(`${prefix(flag)}must be ${bounds}, got "${value}"`);
  }
  return ms;
}

const WEEK_MS = 7 * 86_400_000;

/**
 * A replay window in seconds (`300`, `10m`, `1h`). 0 must not mean "no limit" — that is how replay protection gets
 * switched off by accident — and neither may a window so wide it never expires: 1 s to 7 days.
 */
export function parseTolerance(value: string, flag = '--tolerance'): number {
  const ms = parseDuration(value, flag, { min: 0 });
  if (ms < 1000 || ms > WEEK_MS) {
    throw new UsageError(`${flag}: must be between 1s and 7d, got "${value}"`, {
      hint: 'Pictify signs with a 300 s window; widen it only to test',
    });
  }
  return ms / 1000;
}

/** `--since 2h` (that long ago; a bare number is seconds) or an ISO date → milliseconds since the epoch. */
export function parseSince(value: string, nowMs: number, flag = '--since'): number {
  if (/^\s*\d{4}-\d{2}-\d{2}/.test(value)) {
    const t = Date.parse(value.trim());
    if (!Number.isNaN(t)) return t;
  } else if (/^\s*[\d.]/.test(value)) {
    return nowMs - parseDuration(value, flag, { min: 0 });
  }
  throw new UsageError(`${flag}: invalid time "${value}"`, {
    hint: 'use a duration (30m, 2h, 7d) or a date (2026-11-26T12:00:00Z)',
  });
}

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

// ---- sizes ----------------------------------------------------------------------------------------------------

const SIZE_UNITS: Record<string, number> = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** "512kb", "1mb", "50MiB" or a bare number of bytes → bytes (1024-based), at least 1. */
export function parseSize(value: string, flag: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|kib|k|mb|mib|m|gb|gib|g)?\s*$/i.exec(value);
  if (!match)
    throw new UsageError(`${flag}: invalid size "${value}"`, { hint: 'use bytes or a unit: 512kb, 1mb, 50mb' });
  const bytes = Math.floor(Number(match[1]) * SIZE_UNITS[(match[2] ?? 'b')[0].toLowerCase()]);
  if (bytes < 1) throw new UsageError(`${flag}: must be at least 1 byte, got "${value}"`);
  if (!Number.isSafeInteger(bytes)) throw new UsageError(`${flag}: "${value}" is too large`);
  return bytes;
}

// ---- urls -----------------------------------------------------------------------------------------------------

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h) || h.endsWith('.localhost');
}

const SCHEMELESS_LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\]|[\w-]+\.localhost)(:\d+)?([/?#].*)?$/i;

/**
 * An http(s) url. A loopback target without a scheme (`localhost:4000`, `127.0.0.1:4000/x`) means http://, since
 * that is what a local app speaks; any other host needs its scheme spelled out.
 */
export function parseHttpUrl(value: string, flag: string): URL {
  const text = value.trim();
  const withScheme = SCHEMELESS_LOOPBACK.test(text) ? `http://${text}` : text;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    const guess = /^[\w-]+(\.[\w-]+)+(:\d+)?(\/.*)?$/.test(text) ? `https://${text}` : 'https://example.com/webhooks';
    throw new UsageError(`${flag}: invalid url "${value}"`, { hint: `give a full url such as ${guess}` });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    // `localhost:4000` without the loopback rule would parse as scheme "localhost:".
    throw new UsageError(`${flag}: only http and https urls are supported, got "${url.protocol.replace(/:$/, '')}"`);
  }
  return url;
}

// ---- events ---------------------------------------------------------------------------------------------------

function eventHint(value: string): string {
  const match = closest(value, EVENT_NAMES);
  return match ? `did you mean ${match}?` : `use one of: ${EVENT_NAMES.join(', ')}`;
}

/** One event of the catalogue; a typo gets "did you mean render.completed?". */
export function parseEventName(value: string, flag?: string): EventName {
  if (!isEventName(value)) throw new UsageError(`${prefix(flag)}unknown event "${value}"`, { hint: eventHint(value) });
  return value;
}

/** A glob fixed segment by segment (`rendr.*` → `render.*`), if that version matches some event. */
function suggestGlob(glob: string): string | undefined {
  const parts = glob.split('.');
  const fixed = parts.map((part, i) => {
    if (isGlob(part)) return part;
    const segments = [...new Set(EVENT_NAMES.map((e) => e.split('.')[i]).filter((s) => s !== undefined))];
    return closest(part, segments) ?? part;
  });
  const candidate = fixed.join('.');
  return candidate !== glob && EVENT_NAMES.some((e) => matchesGlob(candidate, e)) ? candidate : undefined;
}

/** An event name or a glob (`render.*`) that matches at least one event: a glob matching nothing is a typo. */
export function parseEventPattern(value: string, flag?: string): string {
  const text = value.trim();
  if (!isGlob(text)) return parseEventName(text, flag);
  if (!/^[\w.*?-]+$/.test(text)) {
    throw new UsageError(`${prefix(flag)}invalid event glob "${value}"`, {
      hint: 'use letters, digits, ".", "-", "*" and "?", e.g. render.*',
    });
  }
  if (!EVENT_NAMES.some((e) => matchesGlob(text, e))) {
    const suggestion = suggestGlob(text);
    throw new UsageError(`${prefix(flag)}"${value}" matches no event`, {
      hint: suggestion ? `did you mean ${suggestion}?` : `events are: ${EVENT_NAMES.join(', ')}`,
    });
  }
  return text;
}

/** `--events render.*,batch.completed` → the patterns, each checked. */
export function parseEventPatterns(value: string, flag?: string): string[] {
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0) throw new UsageError(`${prefix(flag)}give at least one event, e.g. render.completed`);
  return items.map((item) => parseEventPattern(item, flag));
}

/** `--route 'render.*=http://localhost:4000/r'`: an event pattern and where to forward it. */
export function parseRoute(value: string, flag = '--route'): { pattern: string; url: string } {
  const eq = value.indexOf('=');
  if (eq <= 0 || eq === value.length - 1) {
    throw new UsageError(`${flag}: invalid route "${value}": expected <event-glob>=<url>`, {
      hint: "e.g. --route 'render.*=http://localhost:4000/renders'",
    });
  }
  return {
    pattern: parseEventPattern(value.slice(0, eq), flag),
    url: parseHttpUrl(value.slice(eq + 1), flag).href,
  };
}
