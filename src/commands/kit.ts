// Small helpers every command module shares: the profile, output styles, payload arguments.
import type { Context } from '../cli/context.js';
import { UsageError } from '../cli/errors.js';
import { createStyle, type Style } from '../output/style.js';
import { resolveProfileName } from '../cli/settings.js';

export function profileName(ctx: Context): string {
  return resolveProfileName(ctx.globals, ctx.env);
}

export function style(ctx: Context): Style {
  return createStyle(ctx.color);
}

export function errStyle(ctx: Context): Style {
  return createStyle(ctx.stderrColor);
}

/** Reads `@file`, `-` (stdin) or returns the literal. */
export async function readPayloadArg(ctx: Context, value: string, flag: string): Promise<Buffer> {
  if (value === '-') return ctx.readStdin();
  if (value.startsWith('@')) {
    const { readFile } = await import('node:fs/promises');
    try {
      return await readFile(value.slice(1));
    } catch (error) {
      throw new UsageError(
        `${flag}: cannot read ${value.slice(1)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
  }
  return Buffer.from(value);
}
