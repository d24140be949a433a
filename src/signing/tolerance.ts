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
