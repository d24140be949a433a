// Hostile text for the output-edge tests: what a sender, an API or a receiver can put in front of a terminal —
// an OSC that retitles it, an erase, an 8-bit CSI, a bell, a right-to-left override, DEL.
import { connect } from 'node:net';
import { expect } from 'vitest';

export const HOSTILE = '\u001b]0;pwned\u0007 \u001b[2J \u009b2J \u0007 \u202e \u007f';

/** The bytes that must never reach a terminal raw: ESC, BEL, 8-bit CSI, RLO. */
const RAW = /[\u001b\u0007\u009b\u202e]/;

export function expectNoRawControls(text: string, where = 'output'): void {
  const found = RAW.exec(text);
  expect(found, `${where} carries a raw U+${found?.[0].charCodeAt(0).toString(16).padStart(4, '0')}`).toBeNull();
}

/** JSON text must carry the hostile characters as \u escapes: none raw, and the parsed value has them back. */
export function expectEscapedJson(text: string): void {
  expectNoRawControls(text, 'JSON output');
  expect(text).toContain('\\u001b]0;pwned\\u0007');
  expect(text).toContain('\\u009b');
  expect(text).toContain('\\u202e');
  expect(text).toContain('\\u007f');
}

/**
 * One POST written on a raw socket: Node's client refuses control bytes in headers, a hostile sender does not.
 * Header values are latin1 bytes (Node's server reads them so: 0x9b arrives as U+009B, an 8-bit CSI).
 */
export function rawPost(
  url: string,
  options: { headers: Record<string, string>; body: Buffer | string },
): Promise<{ status: number; text: string }> {
  const target = new URL(url);
  const body = Buffer.isBuffer(options.body) ? options.body : Buffer.from(options.body, 'utf8');
  const head =
    `POST ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${target.host}\r\nConnection: close\r\n` +
    `Content-Length: ${body.length}\r\n` +
    Object.entries(options.headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('') +
    '\r\n';
  // Written, not ended: Node's server drops the answer to a client that half-closed; `Connection: close` ends it.
  return new Promise((resolve, reject) => {
    const socket = connect(Number(target.port), target.hostname, () =>
      socket.write(Buffer.concat([Buffer.from(head, 'latin1'), body])),
    );
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer in 10 s')));
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text });
    });
  });
}

/** Header values that Node's parser lets through: 8-bit bytes only (C0 and DEL end the request with a 400). */
export const HOSTILE_HEADER = 'del_\u009b2J\u009b]0;pwned';
