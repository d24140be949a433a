// Small helpers every command module shares: help examples, option parsers, and the profile/settings lookups.
import type { Command } from 'commander';
import type { Context } from '../cli/context.js';
import { UsageError } from '../errors.js';
import { EVENT_NAMES, isEventName, type EventName } from '../events/names.js';
import { createStyle, type Style } from '../output/style.js';
import { parseDurationMs, resolveProfileName } from '../store/settings.js';

/** Appends an "Examples:" block to a command's --help. */
export function examples(command: Command, lines: string[]): Command {
  return command.addHelpText('after', `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`);
}

export function profileName(ctx: Context): string {
  return resolveProfileName(ctx.globals, ctx.env);
}

export function style(ctx: Context): Style {
  return createStyle(ctx.color);
}

export function errStyle(ctx: Context): Style {
  return createStyle(ctx.stderrColor);
}

export function parseEventName(value: string): EventName {
  if (!isEventName(value)) {
    throw new UsageError(`unknown event "${value}"`, { hint: `use one of: ${EVENT_NAMES.join(', ')}` });
  }
  return value;
}

export function parsePositiveInt(value: string, flag: string, { min = 1, max = Number.MAX_SAFE_INTEGER } = {}): number {
  if (!/^\d+$/.test(value.trim())) throw new UsageError(`${flag}: expected a whole number, got "${value}"`);
  const n = Number(value);
  if (n < min || n > max) throw new UsageError(`${flag}: must be between ${min} and ${max}, got ${n}`);
  return n;
}

export function parseDuration(value: string, flag: string): number {
  return parseDurationMs(value, flag);
}

const MAX_TOLERANCE_SECONDS = 7 * 24 * 3600;

/**
 * A replay window in seconds (`300`, `10m`, `1h`). 0 must not mean "no limit" — that is how replay protection gets
 * switched off by accident — and neither may a number so large it never expires: 1 s to 7 days.
 */
export function parseTolerance(value: string, flag = '--tolerance'): number {
  const seconds = parseDurationMs(value, flag) / 1000;
  if (!(seconds >= 1) || seconds > MAX_TOLERANCE_SECONDS) {
    throw new UsageError(`${flag}: must be between 1 second and 7 days, got "${value}"`, {
      hint: 'Pictify signs with a 300 s window; widen it only to test',
    });
  }
  return seconds;
}

/** Collects a repeatable option into an array (commander's argParser for `--secret a --secret b`). */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

export function parseUrl(value: string, flag: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${flag}: invalid url "${value}"`, {
      hint: 'give a full url such as https://example.com/webhooks',
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`${flag}: only http and https urls are supported, got "${url.protocol}"`);
  }
  return url;
}

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h) || h.endsWith('.localhost');
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
