import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { curlCommand, isShellSafeText, shellQuote } from '../../../src/outbound/curl.js';

/** What a POSIX shell makes of `echo-args <quoted>`: the exact argument strings. */
function shellArgs(script: string): string[] {
  const out = execFileSync('sh', ['-c', `curl() { for a in "$@"; do printf '%s\\0' "$a"; done; }\n${script}`]);
  return out.toString('utf8').split('\0').slice(0, -1);
}

describe('shellQuote', () => {
  it('round-trips hostile strings through sh', () => {
    const values = ["it's", '$(rm -rf /)', '`x`', 'a\nb', '"q"', '\\', 'é ☃', '*', '', '--data'];
    const script = `curl ${values.map(shellQuote).join(' ')}`;
    expect(shellArgs(script)).toEqual(values);
  });
});

describe('curlCommand', () => {
  const headers = { 'content-type': 'application/json', 'x-pictify-signature': 't=1,v1=ab', 'x-custom': 'y' };

  it('inlines text bodies byte for byte, trailing newline included', () => {
    const body = Buffer.from('{"a":"b c"}\n');
    const args = shellArgs(curlCommand({ url: 'http://127.0.0.1/x', headers, body })!);
    expect(args[args.indexOf('--data-binary') + 1]).toBe('{"a":"b c"}\n');
    expect(args).toContain('X-Pictify-Signature: t=1,v1=ab');
    expect(args).toContain('x-custom: y');
  });

  it('pipes a body starting with @ instead of letting curl read a file', () => {
    const command = curlCommand({ url: 'http://127.0.0.1/x', headers, body: Buffer.from('@/etc/passwd') })!;
    expect(command.startsWith("printf '%s' @/etc/passwd | curl")).toBe(true);
    expect(command).toContain('--data-binary @-');
  });

  it('points at the file for binary bodies, or gives up without one', () => {
    const binary = Buffer.from([0x7b, 0x00, 0xff]);
    expect(isShellSafeText(binary)).toBe(false);
    expect(curlCommand({ url: 'http://127.0.0.1/x', headers, body: binary })).toBeUndefined();
    expect(curlCommand({ url: 'http://127.0.0.1/x', headers, body: binary, bodyFile: '/tmp/a b.bin' })).toContain(
      "--data-binary @'/tmp/a b.bin'",
    );
  });
});
