// ora only on a TTY stderr with colour allowed and a known width; elsewhere a silent stand-in, so CI logs stay
// clean. A terminal that reports 0 columns (a pty nobody sized: `script`, some CI runners) gets no spinner: ora
// divides by the width to count the lines to erase, and with 0 it loops forever writing ESC[1A ESC[0K.
import type { Writer } from '../host.js';

/** The part of the CLI's Context a spinner looks at: where stderr goes and whether it may draw there. */
export interface SpinnerHost {
  io: { stderr: Writer; stderrIsTTY: boolean };
  stderrColor: boolean;
  globals: { json?: boolean };
}

export interface Spinner {
  text(text: string): void;
  succeed(text?: string): void;
  fail(text?: string): void;
  stop(): void;
}

const silent: Spinner = { text() {}, succeed() {}, fail() {}, stop() {} };

/** The stream's width when it is a usable positive number, else undefined. */
export function usableColumns(stream: unknown): number | undefined {
  const columns = (stream as { columns?: unknown }).columns;
  return typeof columns === 'number' && Number.isFinite(columns) && columns >= 1 ? columns : undefined;
}

export async function startSpinner(ctx: SpinnerHost, text: string): Promise<Spinner> {
  if (!ctx.io.stderrIsTTY || !ctx.stderrColor || ctx.globals.json) return silent;
  if (usableColumns(ctx.io.stderr) === undefined) return silent;
  const { default: ora } = await import('ora');
  // discardStdin: false — ora would otherwise put stdin in raw mode and re-emit Ctrl-C itself; the terminal's own
  // SIGINT/SIGTERM must keep ending the command (ora restores the cursor on the way out).
  const spinner = ora({ text, stream: ctx.io.stderr as NodeJS.WritableStream, discardStdin: false }).start();
  let stopped = false;
  const once = (finish: () => void) => {
    if (stopped) return;
    stopped = true;
    finish();
  };
  return {
    text: (t) => void (stopped || (spinner.text = t)),
    succeed: (t) => once(() => spinner.succeed(t)),
    fail: (t) => once(() => spinner.fail(t)),
    stop: () => once(() => spinner.stop()),
  };
}
