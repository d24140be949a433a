// How long ago something happened, for people: "3 d ago", "400 s ago" — for every age the CLI prints (temporary
// subscriptions, created and last-delivery times). Its units are formatSeconds' (s, min, h, d; exact seconds below
// 1000 s), which the library's own "signed 3 d ago" messages use too: the library may not load src/output.
import { formatSeconds } from '../signing/tolerance.js';

/** "3 d ago"; a time in the future reads "in 5 min". */
export function formatAge(ageSeconds: number): string {
  return ageSeconds < 0 ? `in ${formatSeconds(-ageSeconds)}` : `${formatSeconds(ageSeconds)} ago`;
}

/** "2026-11-23T12:00:00Z (3 d ago)"; a value that is not a time is returned unchanged. */
export function withAge(time: string, nowMs: number): string {
  const at = Date.parse(time);
  return Number.isFinite(at) ? `${time} (${formatAge((nowMs - at) / 1000)})` : time;
}
