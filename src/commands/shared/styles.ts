// Colour for each stream on its own: stdout may be a pipe while stderr is a terminal.
import type { Context } from '../../cli/context.js';
import { createStyle, type Style } from '../../output/style.js';

export function style(ctx: Context): Style {
  return createStyle(ctx.color);
}

export function errStyle(ctx: Context): Style {
  return createStyle(ctx.stderrColor);
}
