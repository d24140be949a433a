// Small helpers every command module shares: option parsers, and the profile/settings lookups.
import type { Context } from '../cli/context.js';
import { UsageError } from '../errors.js';
import { createStyle, type Style } from '../output/style.js';
import { parseDurationMs, resolveProfileName } from '../store/settings.js';

export { collect, parseEventName, parsePositiveInt } from '../cli/flags.js';

export function profileName(ctx: Context): string {
  return resolveProfileName(ctx.globals, ctx.env);
}

export function style(ctx: Context): Style {
  return createStyle(ctx.color);
}

export function errStyle(ctx: Context): Style {
  return createStyle(ctx.stderrColor);
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

/** `localhost:4000`, `127.0.0.1:4000/x`, `[::1]:3000`: a loopback target typed without a scheme. */
const SCHEMELESS_LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])(:\d+)?([/?#].*)?$/i;

export function parseUrl(value: string, flag: string): URL {
  let url: URL;
  try {
    // A local app is where a scheme is most often left out; it can only mean http://.
    url = new URL(SCHEMELESS_LOOPBACK.test(value.trim()) ? `http://${value.trim()}` : value);
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
