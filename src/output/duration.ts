// Durations as a person reads them, in one place: measured times in milliseconds (latencies, run times, timeouts)
// and ages in seconds (a signature's timestamp). Flag values are spelled by cli/flags.ts formatDuration instead
// (`30s`, `250ms`: what you would type). Pure: the library's signing messages use formatSeconds too.

/** A measured time: `2.3 ms`, `15 ms`, `1.2 s`, `12.5 s`, `30 s`. */
export function formatMs(ms: number): string {
  if (ms >= 1000) return `${Number((ms / 1000).toFixed(ms >= 10_000 ? 1 : 2))} s`;
  if (ms >= 10) return `${Math.round(ms)} ms`;
  return `${Number(ms.toFixed(1))} ms`;
}

/**
 * An age or window, in the unit a person reads: `400 s`, `45 min`, `5 h`, `3 d` — a delivery signed three days
 * ago is "3 d", not "259200 s". Seconds stay exact up to 999 s, where the tolerance arithmetic lives.
 */
export function formatSeconds(seconds: number): string {
  const s = Math.abs(seconds);
  const sign = seconds < 0 ? '-' : '';
  if (s < 1000) return `${sign}${Math.round(s)} s`;
  if (s < 2 * 3600) return `${sign}${Math.round(s / 60)} min`;
  if (s < 48 * 3600) return `${sign}${Math.round(s / 3600)} h`;
  return `${sign}${Math.round(s / 86_400)} d`;
}
