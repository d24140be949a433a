// ora only on a TTY stderr with colour allowed; elsewhere a silent stand-in, so CI logs stay clean.
import type { Context } from '../cli/context.js';

export interface Spinner {
  text(text: string): void;
  succeed(text?: string): void;
  fail(text?: string): void;
  stop(): void;
}

const silent: Spinner = { text() {}, succeed() {}, fail() {}, stop() {} };

export async function startSpinner(ctx: Context, text: string): Promise<Spinner> {
  if (!ctx.io.stderrIsTTY || !ctx.stderrColor || ctx.globals.json) return silent;
  const { default: ora } = await import('ora');
  const spinner = ora({ text, stream: ctx.io.stderr as NodeJS.WritableStream }).start();
  return {
    text: (t) => void (spinner.text = t),
    succeed: (t) => void spinner.succeed(t),
    fail: (t) => void spinner.fail(t),
    stop: () => void spinner.stop(),
  };
}
