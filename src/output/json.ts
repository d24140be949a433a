import type { Writer } from '../host.js';
import { jsonText } from '../text/printable.js';

/** The part of the CLI's Context a JSON document needs. */
export interface JsonOut {
  io: { stdout: Writer; stdoutIsTTY: boolean };
}

/** One JSON document on stdout (pretty on a TTY, compact otherwise so pipes stay one line per document). */
export function printJson(ctx: JsonOut, value: unknown): void {
  ctx.io.stdout.write(`${jsonText(value, ctx.io.stdoutIsTTY ? 2 : undefined)}\n`);
}

/** One NDJSON line on stdout, for streams (listen, send --count). */
export function printJsonLine(ctx: JsonOut, value: unknown): void {
  ctx.io.stdout.write(`${jsonText(value)}\n`);
}
