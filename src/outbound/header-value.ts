// Header values we put on the wire (or into a `sign --curl` command) come partly from the user and partly from
// payloads and stored deliveries. A CR/LF inside one is a second header (curl splits on it); any control character
// is refused, with where it came from, before anything is sent or printed.
import { InputError } from '../errors.js';

// C0 (tab included: nothing we send needs one), DEL and C1.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** RFC 9110 token: what a header name may be. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function codePoint(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Why `value` cannot be sent as header `name` (a control character), or undefined when it can. */
export function headerValueProblem(name: string, value: string, source: string): string | undefined {
  const match = CONTROL.exec(value);
  if (!match) return undefined;
  return `${source}: the ${name} header value contains a control character (${codePoint(match[0])} at ${match.index})`;
}

/** `source` says where the value came from, as the user knows it: `--delivery-id`, `the payload's event`, … */
export function checkHeaderValue(name: string, value: string, source: string): void {
  const problem = headerValueProblem(name, value, source);
  if (problem) throw new InputError(problem, 'invalid_header_value');
}

export function checkHeaderName(name: string, source: string): void {
  if (!TOKEN.test(name)) {
    throw new InputError(`${source}: invalid header name ${JSON.stringify(name)}`, 'invalid_header_name');
  }
}

export function checkHeaders(headers: Record<string, string>, source: (name: string) => string): void {
  for (const [name, value] of Object.entries(headers)) {
    checkHeaderName(name, source(name));
    checkHeaderValue(name, value, source(name));
  }
}
