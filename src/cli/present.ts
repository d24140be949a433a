// The one presenter (like gh's exporter): a command hands over its result and a human renderer; this decides
// json | human and applies the sanitiser, so no command writes its own `if (--json)` branch or escapes by hand.
// With --json the data goes out as JSON (controls as \u escapes); otherwise the renderer gets a copy of the data
// whose every string is already printable, and styles it: the sanitiser runs below the styling, never over it.
// One exception, on purpose: listen's per-delivery lines are batched by receiver/session/printer.ts (its hot path).
import type { Context } from './context.js';
import { printJson, printJsonLine } from '../output/json.js';
import { printableDeep } from '../text/printable.js';
import { createStyle, type Style } from '../output/style.js';

/** What a human renderer returns: one text (lines joined), lines, or nothing to print. */
export type Lines = string | readonly string[] | undefined | void;

/** Renders sanitised data for people; `s` styles for the stream the lines go to. */
export type Human<T> = (safe: T, s: Style) => Lines;

export interface PresentOptions {
  /** What --json prints instead of the data (a view with fewer or masked fields). */
  json?: unknown;
  /** Where the human lines go: stdout (data, the default) or stderr (a message such as "Deleted …"). */
  humanTo?: 'stdout' | 'stderr';
}

/** Whether this run prints JSON: for commands that must also stay quiet on stderr (spinners, notes). */
export function wantsJson(ctx: Context): boolean {
  return Boolean(ctx.globals.json);
}

/** One result: a JSON document with --json, else the human rendering of its sanitised copy. */
export function present<T>(ctx: Context, data: T, human?: Human<T>, options: PresentOptions = {}): void {
  if (wantsJson(ctx)) return printJson(ctx, 'json' in options ? options.json : data);
  if (human) writeHuman(ctx, human(printableDeep(data), styleFor(ctx, options)), options);
}

/** One item of a stream (listen, replay, send --count): an NDJSON line with --json, else its human line(s). */
export function presentItem<T>(ctx: Context, data: T, human?: Human<T>, options: PresentOptions = {}): void {
  if (wantsJson(ctx)) return printJsonLine(ctx, 'json' in options ? options.json : data);
  if (human) writeHuman(ctx, human(printableDeep(data), styleFor(ctx, options)), options);
}

/** A human-only message on stderr (a summary, a note), sanitised; silent with --json, where stdout says it all. */
export function presentNote<T>(ctx: Context, data: T, human: Human<T>): void {
  if (wantsJson(ctx)) return;
  writeHuman(ctx, human(printableDeep(data), createStyle(ctx.stderrColor)), { humanTo: 'stderr' });
}

function styleFor(ctx: Context, options: PresentOptions): Style {
  return createStyle(options.humanTo === 'stderr' ? ctx.stderrColor : ctx.color);
}

function writeHuman(ctx: Context, lines: Lines, options: PresentOptions): void {
  if (lines === undefined) return;
  if (typeof lines !== 'string' && lines.length === 0) return;
  const text = typeof lines === 'string' ? lines : lines.join('\n');
  if (options.humanTo === 'stderr') ctx.err(text);
  else ctx.out(text);
}
