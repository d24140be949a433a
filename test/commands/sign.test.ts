import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openConfig } from '../../src/store/config.js';
import { run, useConfigDir } from '../helpers/cli.js';
import { referenceVerify } from '../helpers/reference-receiver.js';

const SECRET = 'whsec_test_secret_0123456789';
const hmac = (secret: string, t: number, body: string | Buffer) =>
  createHmac('sha256', secret).update(`${t}.`).update(body).digest('hex');

const dir = useConfigDir();

describe('sign', () => {
  it('signs a render.completed sample so that an independent implementation accepts it', async () => {
    const r = await run(dir, [
      'sign',
      '--secret',
      'whsec_x',
      '--timestamp',
      '1700000000',
      'render.completed',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.header).toBe(`t=1700000000,v1=${out.signature}`);
    expect(out.timestamp).toBe(1700000000);
    expect(out.signature).toBe(hmac('whsec_x', 1700000000, out.payload));
    expect(referenceVerify(Buffer.from(out.payload), out.header, 'whsec_x', 1700000000)).toBe(true);
    const payload = JSON.parse(out.payload);
    expect(payload.event).toBe('render.completed');
    expect(payload.data.deliveryId).toMatch(/^del_/);
  });

  it('prints the header line and, for a generated sample, the exact signed body', async () => {
    const r = await run(dir, ['sign', '--secret', SECRET, '--timestamp', '1700000000']);
    expect(r.code).toBe(0);
    const [headerLine, blank, body, ...rest] = r.stdout.split('\n');
    expect(blank).toBe('');
    expect(rest.join('')).toBe('');
    expect(headerLine).toBe(`X-Pictify-Signature: t=1700000000,v1=${hmac(SECRET, 1700000000, body)}`);
    expect(JSON.parse(body).event).toBe('render.completed'); // the documented default
  });

  it('signs the exact bytes of --payload @file, trailing newline included, and prints only the header', async () => {
    const file = join(dir, 'body.json');
    const bytes = Buffer.from('{ "event": "batch.completed",\n  "data": {"x": "é"} }\n');
    writeFileSync(file, bytes);
    const r = await run(dir, ['sign', '--secret', SECRET, '--payload', `@${file}`, '--timestamp', '1700000001']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`X-Pictify-Signature: t=1700000001,v1=${hmac(SECRET, 1700000001, bytes)}\n`);
  });

  it('reads --payload - from stdin and takes the secret from PICTIFY_WEBHOOK_SECRET', async () => {
    const r = await run(dir, ['sign', '--payload', '-', '--timestamp', '1700000002', '--json'], {
      stdin: 'raw body',
      env: { PICTIFY_WEBHOOK_SECRET: SECRET },
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).signature).toBe(hmac(SECRET, 1700000002, 'raw body'));
  });

  it('a pinned --timestamp makes the output reproducible: header, sample times and delivery id follow it', async () => {
    const args = ['sign', 'render.completed', '--secret', SECRET, '--timestamp', '1700000000'];
    const a = await run(dir, args, { now: Date.UTC(2026, 0, 1) });
    const b = await run(dir, args, { now: Date.UTC(2027, 5, 1) });
    expect(a.code).toBe(0);
    expect(b.stdout).toBe(a.stdout);
    const [headerLine, , body] = a.stdout.split('\n');
    expect(JSON.parse(body).timestamp).toBe('2023-11-14T22:13:20Z');
    expect(headerLine).toBe(`X-Pictify-Signature: t=1700000000,v1=${hmac(SECRET, 1700000000, body)}`);
    const pinned = await run(dir, [...args, '--delivery-id', 'del_mine']);
    expect(JSON.parse(pinned.stdout.split('\n')[2]).data.deliveryId).toBe('del_mine');
  });

  it('uses the clock for the timestamp by default', async () => {
    const r = await run(dir, ['sign', '--secret', SECRET, '--json'], { now: 1_700_000_123_456 });
    expect(JSON.parse(r.stdout).timestamp).toBe(1_700_000_123);
  });

  it('--curl prints a runnable command with all four headers and the exact body bytes', async () => {
    const r = await run(dir, [
      'sign',
      'binding.failed',
      '--secret',
      SECRET,
      '--curl',
      'http://127.0.0.1:3000/hooks?a=1&b=2',
    ]);
    expect(r.code).toBe(0);
    // Run it through a real shell with `curl` replaced by a function that prints its arguments NUL-separated.
    const argv = execFileSync('sh', ['-c', `curl() { for a in "$@"; do printf '%s\\0' "$a"; done; }\n${r.stdout}`])
      .toString('utf8')
      .split('\0')
      .slice(0, -1);
    expect(argv).toContain('http://127.0.0.1:3000/hooks?a=1&b=2');
    const headers = argv.filter((_, i) => argv[i - 1] === '-H');
    expect(headers.map((h) => h.split(':')[0])).toEqual([
      'Content-Type',
      'X-Pictify-Signature',
      'X-Pictify-Event',
      'X-Pictify-Delivery-Id',
    ]);
    const body = argv[argv.indexOf('--data-binary') + 1];
    const signature = headers[1].slice('X-Pictify-Signature: '.length);
    const t = Number(/t=(\d+)/.exec(signature)![1]);
    expect(referenceVerify(Buffer.from(body), signature, SECRET, t)).toBe(true);
    expect(headers[2]).toBe('X-Pictify-Event: binding.failed');
    expect(headers[3]).toBe(`X-Pictify-Delivery-Id: ${JSON.parse(body).data.deliveryId}`);
  });

  it('--curl quotes bodies with single quotes safely', async () => {
    const file = join(dir, 'quote.json');
    writeFileSync(file, `{"event":"render.failed","data":{"error":"it's $(broken) \`x\`"}}`);
    const r = await run(dir, ['sign', '--secret', SECRET, '--payload', `@${file}`, '--curl', 'http://127.0.0.1:3000/']);
    const argv = execFileSync('sh', ['-c', `curl() { for a in "$@"; do printf '%s\\0' "$a"; done; }\n${r.stdout}`])
      .toString('utf8')
      .split('\0');
    expect(argv[argv.indexOf('--data-binary') + 1]).toBe(
      `{"event":"render.failed","data":{"error":"it's $(broken) \`x\`"}}`,
    );
    expect(argv).toContain('X-Pictify-Event: render.failed');
  });

  it('--curl sends a body with raw control characters by file, so the printed command carries none of them', async () => {
    const file = join(dir, 'hostile.json');
    const body = '{"event":"render.failed","data":{"error":"\u001b]0;pwned\u0007 \u009b2J \u202e"}}';
    writeFileSync(file, body);
    const r = await run(dir, ['sign', '--secret', SECRET, '--payload', `@${file}`, '--curl', 'http://127.0.0.1:3000/']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/[\u001b\u0007\u009b\u202e]/);
    const argv = execFileSync('sh', ['-c', `curl() { for a in "$@"; do printf '%s\\0' "$a"; done; }\n${r.stdout}`])
      .toString('utf8')
      .split('\0');
    expect(argv[argv.indexOf('--data-binary') + 1]).toBe(`@${file}`);
  });

  it('--subscription signs with the stored secret', async () => {
    const config = await openConfig({ cwd: dir });
    config.saveSecret('default', 'wh_stored', {
      secret: 'whsec_stored',
      event: 'render.completed',
      targetUrl: 'http://127.0.0.1:1/x',
    });
    const r = await run(dir, ['sign', '--subscription', 'wh_stored', '--timestamp', '1700000000', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.signature).toBe(hmac('whsec_stored', 1700000000, out.payload));
    expect(r.stdout).not.toContain('whsec_stored');
  });

  it("--curl with --subscription and no url posts to the subscription's stored url (issue 24)", async () => {
    const config = await openConfig({ cwd: dir });
    config.saveSecret('default', 'wh_curl', { secret: 'whsec_curl', targetUrl: 'http://127.0.0.1:4700/hooks' });
    const r = await run(dir, ['sign', '--curl', '--subscription', 'wh_curl', '--json']);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const out = JSON.parse(r.stdout);
    expect(out.url).toBe('http://127.0.0.1:4700/hooks');
    expect(out.command).toMatch(/^curl -sS -X POST http:\/\/127\.0\.0\.1:4700\/hooks \\\n/);
    const alone = await run(dir, ['sign', '--secret', SECRET, '--curl']);
    expect({ code: alone.code, stderr: alone.stderr }).toEqual({
      code: 2,
      stderr: 'error: no receiver url — pass --curl <url>, or --subscription <uid> to use its stored target url\n',
    });
  });

  it('--subscription without a stored secret names the uid and how to fix it', async () => {
    const r = await run(dir, ['sign', '--subscription', 'wh_missing']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('wh_missing');
    expect(r.stderr).toContain('pictify-hooks secrets set wh_missing <secret>');
  });

  it('refuses --secret with --subscription, a missing secret, unknown events and millisecond timestamps', async () => {
    expect((await run(dir, ['sign', '--secret', SECRET, '--subscription', 'wh_1'])).code).toBe(2);
    const none = await run(dir, ['sign']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/error: no webhook secret — pass --secret, set PICTIFY_WEBHOOK_SECRET/);
    const unknown = await run(dir, ['sign', 'render.done', '--secret', SECRET]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown event "render.done"');
    const ms = await run(dir, ['sign', '--secret', SECRET, '--timestamp', '1700000000000']);
    expect(ms.code).toBe(2);
    expect(ms.stderr).toContain('looks like milliseconds');
  });

  it('documents the default event and has examples in --help', async () => {
    const r = await run(dir, ['sign', '--help']);
    expect(r.stdout).toContain('render.completed');
    expect(r.stdout).toContain('Examples:');
  });

  describe('header injection', () => {
    const curlArgs = (stdout: string) =>
      execFileSync('sh', ['-c', `curl() { for a in "$@"; do printf '%s\\0' "$a"; done; }\n${stdout}`])
        .toString()
        .split('\0');

    it.each(['del_1\r\nX-Injected: 1', 'del_1\nX-Injected: 1', 'del_\u0000x', 'del_\u001bx', 'del_\u0085x'])(
      '--delivery-id %j with a control character: exit 2, no command printed',
      async (id) => {
        const r = await run(dir, ['sign', '--secret', SECRET, '--delivery-id', id, '--curl', 'http://127.0.0.1:3000/']);
        expect(r.code).toBe(2);
        expect(r.stdout).toBe('');
        expect(r.stderr).toMatch(/--delivery-id: the X-Pictify-Delivery-Id header value contains a control character/);
      },
    );

    it('the payload\'s "event" with CR/LF: exit 2 naming where it came from', async () => {
      const file = join(dir, 'evil.json');
      writeFileSync(file, JSON.stringify({ event: 'render.completed\r\nX-Injected: 1', data: {} }));
      const r = await run(dir, [
        'sign',
        '--secret',
        SECRET,
        '--payload',
        `@${file}`,
        '--curl',
        'http://127.0.0.1:3000/',
      ]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(
        'the "event" of --payload: the X-Pictify-Event header value contains a control character (U+000D at 16)',
      );
    });

    it('ordinary values still make one -H argument per header, shell-quoted', async () => {
      const r = await run(dir, [
        'sign',
        '--secret',
        SECRET,
        '--delivery-id',
        "del_it's",
        '--curl',
        'http://127.0.0.1:3000/',
      ]);
      expect(r.code).toBe(0);
      const argv = curlArgs(r.stdout);
      const headers = argv.filter((_, i) => argv[i - 1] === '-H');
      expect(headers).toHaveLength(4);
      expect(headers).toContain("X-Pictify-Delivery-Id: del_it's");
    });
  });
});
