import type { Context } from '../cli/context.js';
import { jsonText } from './printable.js';

/** One JSON document on stdout (pretty on a TTY, compact otherwise so pipes stay one line per document). */
export function printJson(ctx: Context, value: unknown): void {
  ctx.io.stdout.write(`${jsonText(value, ctx.io.stdoutIsTTY ? 2 : undefined)}\n`);
}

/** One NDJSON line on stdout, for streams (listen, send --count). */
export function printJsonLine(ctx: Context, value: unknown): void {
  ctx.io.stdout.write(`${jsonText(value)}\n`);
}
