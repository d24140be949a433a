// chalk 5 ignores NO_COLOR, so the decision is ours: flag > NO_COLOR > TERM=dumb > FORCE_COLOR > TTY.
import type { Env } from '../host.js';

export function resolveColor(input: { isTTY: boolean; env: Env; flag?: boolean }): boolean {
  if (input.flag === false) return false;
  if (input.env.NO_COLOR !== undefined && input.env.NO_COLOR !== '') return false;
  if (input.env.TERM === 'dumb') return false;
  const force = input.env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  return input.isTTY;
}
