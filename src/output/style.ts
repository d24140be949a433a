// Colour through chalk, loaded only when colour is on (src/cli.ts preloads it before an action runs), so
// `--help`, pipes and CI never pay for importing it. chalk 5 ignores NO_COLOR: the decision is resolveColor's.
import type { ChalkInstance } from 'chalk';

export type Style = ChalkInstance;

let chalkModule: typeof import('chalk') | undefined;

export async function loadStyles(): Promise<void> {
  chalkModule ??= await import('chalk');
}

// Every style and chain (`s.red.bold(x)`) is the identity when colour is off.
const plain: Style = new Proxy(((...args: unknown[]) => args.join(' ')) as unknown as Style, {
  get: (target, prop) => (prop === 'level' ? 0 : prop in Function.prototype ? Reflect.get(target, prop) : plain),
});

export function createStyle(color: boolean): Style {
  if (!color || !chalkModule) return plain;
  return new chalkModule.Chalk({ level: 1 });
}

/** Every mark the CLI prints, in one place (the inspector page, a browser bundle, has its own copy). */
export const symbols = {
  ok: '✓',
  fail: '✗',
  warn: '!',
  arrow: '→',
  pending: '…',
};
