// One chalk instance per stream decision; chalk 5 ignores NO_COLOR, so the level comes from resolveColor.
import { Chalk, type ChalkInstance } from 'chalk';

export type Style = ChalkInstance;

export function createStyle(color: boolean): Style {
  return new Chalk({ level: color ? 1 : 0 });
}

export const symbols = {
  ok: '✓',
  fail: '✗',
  warn: '!',
  arrow: '→',
};
