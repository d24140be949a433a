// Measured times as a person reads them, in one place (latencies, run times, timeouts). Ages in seconds (a
// signature's timestamp) are signing/tolerance.ts formatSeconds: the library's messages need it and must not load
// src/output. Flag values are spelled by cli/flags.ts formatDuration (`30s`, `250ms`: what you would type).

/** A measured time: `2.3 ms`, `15 ms`, `1.2 s`, `12.5 s`, `30 s`. */
export function formatMs(ms: number): string {
  if (ms >= 1000) return `${Number((ms / 1000).toFixed(ms >= 10_000 ? 1 : 2))} s`;
  if (ms >= 10) return `${Math.round(ms)} ms`;
  return `${Number(ms.toFixed(1))} ms`;
}
