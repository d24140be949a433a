// Measured times as a person reads them, in one place (latencies, run times, timeouts). Ages in seconds (a
// signature's timestamp) are signing/tolerance.ts formatSeconds: the library's messages need it and must not load
// src/output. Flag values are spelled by formatDuration below (`30s`, `250ms`: what you would type).

/** A measured time: `2.3 ms`, `15 ms`, `1.2 s`, `12.5 s`, `30 s`. */
export function formatMs(ms: number): string {
  if (ms >= 1000) return `${Number((ms / 1000).toFixed(ms >= 10_000 ? 1 : 2))} s`;
  if (ms >= 10) return `${Math.round(ms)} ms`;
  return `${Number(ms.toFixed(1))} ms`;
}

/** Milliseconds per unit of a duration flag (cli/flags.ts parses with these). */
export const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** The shortest exact spelling of a duration: 250ms, 30s, 10m, 2h, 7d, 1500ms. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    if (ms % DURATION_UNITS[unit] === 0) return `${ms / DURATION_UNITS[unit]}${unit}`;
  }
  return `${ms}ms`;
}
