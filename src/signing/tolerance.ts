import { DEFAULT_TOLERANCE_SECONDS } from './constants.js';

/**
 * The replay window actually applied. A falsy or nonsensical value (undefined, 0, negative, NaN) must never turn
 * the check off — "0" from an unset flag or env var is a classic way to disable replay protection by accident —
 * so all of those mean the default 300 s. Only an explicit Infinity disables the check.
 */
export function effectiveTolerance(toleranceSeconds: number | undefined): number {
  if (toleranceSeconds === Infinity) return Infinity;
  if (typeof toleranceSeconds !== 'number' || !Number.isFinite(toleranceSeconds) || toleranceSeconds <= 0) {
    return DEFAULT_TOLERANCE_SECONDS;
  }
  return toleranceSeconds;
}

/** Unix seconds; a missing or non-finite `now` falls back to the real clock rather than disabling the check. */
export function effectiveNow(now: number | undefined): number {
  return typeof now === 'number' && Number.isFinite(now) ? now : Date.now() / 1000;
}

/**
 * An age or window for messages, in the unit a person reads: `400 s`, `45 min`, `5 h`, `3 d` — a delivery signed
 * three days ago is "3 d", not "259200 s". Seconds stay exact up to 999 s, where the tolerance arithmetic lives.
 */
export function formatSeconds(seconds: number): string {
  const s = Math.abs(seconds);
  const sign = seconds < 0 ? '-' : '';
  if (s < 1000) return `${sign}${Math.round(s)} s`;
  if (s < 2 * 3600) return `${sign}${Math.round(s / 60)} min`;
  if (s < 48 * 3600) return `${sign}${Math.round(s / 3600)} h`;
  return `${sign}${Math.round(s / 86_400)} d`;
}

/**
 * An age past a limit, and the limit, as two texts that never read the same: rounding can make 300.4 s past a
 * 300 s limit print as "signed 300 s ago; the limit is 300 s". Then both are exact seconds, with the decimals it
 * takes to show the excess.
 */
export function formatPastLimit(age: number, limit: number): { age: string; limit: string; excess: string } {
  const a = Math.abs(age);
  const rounded = { age: formatSeconds(a), limit: formatSeconds(limit), excess: formatSeconds(a - limit) };
  if (rounded.age !== rounded.limit && Math.round(a - limit) > 0) return rounded;
  const digits = [0, 1, 2, 3].find((d) => Number(a.toFixed(d)) > limit) ?? 3;
  return { age: `${a.toFixed(digits)} s`, limit: `${limit} s`, excess: `${(a - limit).toFixed(digits)} s` };
}
