// `sign --curl`: a POSIX-shell command that replays one signed delivery byte for byte.
import { printable } from '../text/printable.js';

/** Single-quotes for sh/bash/zsh: nothing inside '…' is special except the quote itself. */
export function shellQuote(value: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * Whether the bytes can be inlined in a quoted shell argument: UTF-8 text without NUL, and without the control
 * characters the sanitiser escapes (ESC, C1, bidi…) — inside '…' they would reach the terminal raw when the
 * command is printed, and a sanitised copy would no longer be the signed bytes. Such a body goes by file.
 */
export function isShellSafeText(bytes: Buffer): boolean {
  if (bytes.includes(0)) return false;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return false;
  }
  return printable(text, { keepNewlines: true }) === text;
}

export interface CurlInput {
  url: string;
  headers: Record<string, string>;
  body: Buffer;
  /** Used instead of inlining when the body cannot be carried by a shell argument. */
  bodyFile?: string;
}

const DISPLAY_NAMES: Record<string, string> = {
  'content-type': 'Content-Type',
  'x-pictify-signature': 'X-Pictify-Signature',
  'x-pictify-event': 'X-Pictify-Event',
  'x-pictify-delivery-id': 'X-Pictify-Delivery-Id',
};

/** Returns undefined when the body is binary and there is no file to point curl at. */
export function curlCommand(input: CurlInput): string | undefined {
  let prefix = '';
  const lines = [`curl -sS -X POST ${shellQuote(input.url)}`];
  for (const [name, value] of Object.entries(input.headers)) {
    lines.push(`-H ${shellQuote(`${DISPLAY_NAMES[name] ?? name}: ${value}`)}`);
  }
  if (isShellSafeText(input.body)) {
    // --data-binary sends the bytes untouched (plain -d would strip newlines); a leading @ must not read a file.
    const text = input.body.toString('utf8');
    if (text.startsWith('@')) {
      prefix = `printf '%s' ${shellQuote(text)} | `;
      lines.push('--data-binary @-');
    } else {
      lines.push(`--data-binary ${shellQuote(text)}`);
    }
  } else if (input.bodyFile !== undefined) {
    lines.push(`--data-binary @${shellQuote(input.bodyFile)}`);
  } else {
    return undefined;
  }
  return prefix + lines.join(' \\\n  ');
}
