// The one sanitiser, at every output edge (the CLI, the inspector, what an adapter logs). Untrusted text (payloads,
// headers, delivery ids, event names, API error bodies, stored paths, a receiver's answer, a tunnel's log) on its
// way to a terminal: control characters (C0 but tab, ESC, DEL, C1) and bidi controls are shown escaped (`\x1b`,
// `\u202e`), so they cannot retitle or clear the screen, move the cursor, recolour what follows or reorder what the
// user reads. `--json` output escapes the same characters as `\u` sequences, so a pipe into a terminal (`| cat`,
// `jq -r` aside) is as safe as human output.

// Newline is in the class: one-line fields (ids, headers, payload values) cannot forge an extra line; multi-line
// text asks to keep it. U+200E/U+200F (bidi marks) are included: invisible, and enough to reorder a short id.
const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'g');
const UNSAFE_BUT_NEWLINE_ALL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// What JSON.stringify leaves raw of that class (it already writes every C0 character as an escape).
const JSON_RAW_UNSAFE = /[\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const JSON_RAW_UNSAFE_ALL = new RegExp(JSON_RAW_UNSAFE.source, 'g');

function escapeChar(c: string): string {
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

function jsonEscape(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * Untrusted text made safe to print: `\x1b]0;pwned\x07` → `\x1b]0;pwned\x07` as visible characters. One line
 * unless `keepNewlines` (a stored body shown as it is). Text with nothing to escape is returned as it is (one
 * regex test: listen calls this for every field of every delivery line).
 */
export function printable(text: string, options?: { keepNewlines?: boolean }): string {
  if (!UNSAFE.test(text)) return text;
  return text.replace(options?.keepNewlines ? UNSAFE_BUT_NEWLINE_ALL : UNSAFE_ALL, escapeChar);
}

/** A copy of a JSON-like value with every string (keys included) passed through `printable`, for human renderers. */
export function printableDeep<T>(value: T): T {
  if (typeof value === 'string') return printable(value) as T;
  if (Array.isArray(value)) return value.map(printableDeep) as T;
  if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[printable(key)] = printableDeep(v);
    return out as T;
  }
  return value;
}

/**
 * JSON text whose strings carry ESC, DEL, C1 and bidi controls as `\u` escapes: still valid JSON, and it parses
 * back to exactly the same value (those characters can only occur inside strings, where `\uXXXX` means them).
 */
export function jsonText(value: unknown, indent?: number): string {
  const text = JSON.stringify(value, null, indent);
  if (text === undefined || !JSON_RAW_UNSAFE.test(text)) return text;
  return text.replace(JSON_RAW_UNSAFE_ALL, jsonEscape);
}
