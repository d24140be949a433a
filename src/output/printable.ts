// Untrusted text (a tunnel's output, an API's error message) on its way to a terminal: control characters (C0
// but tab, ESC, DEL, C1) and bidi overrides are shown escaped, so they cannot move the cursor, recolour the
// screen or reorder what the user reads.
const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** One line: newlines are escaped too. */
export function printable(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
