// What a user reads when a delivery cannot be made: each network failure gets its own plain sentence.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeNetworkError, postDelivery } from '../../../src/outbound/post.js';
import { run, tempConfigDir } from '../../helpers/cli.js';

const URL_ = 'http://127.0.0.1:9/hook';

describe('describeNetworkError', () => {
  it.each([
    [{ code: 'ECONNREFUSED' }, 'refused', /connection refused by 127\.0\.0\.1:9: is the receiver running\?/],
    [{ cause: { code: 'ENOTFOUND' } }, 'dns', /cannot resolve host 127\.0\.0\.1/],
    [{ code: 'EAI_AGAIN' }, 'dns', /cannot resolve host/],
    [{ code: 'UND_ERR_HEADERS_TIMEOUT' }, 'timeout', /no answer from 127\.0\.0\.1:9 within 1500 ms/],
    [{ name: 'TimeoutError' }, 'timeout', /within 1500 ms/],
    [
      { code: 'DEPTH_ZERO_SELF_SIGNED_CERT', message: 'self-signed certificate' },
      'tls',
      /TLS error talking to 127\.0\.0\.1:9: self-signed certificate/,
    ],
    [{ code: 'ERR_TLS_CERT_ALTNAME_INVALID', message: 'altname' }, 'tls', /TLS error/],
    [{ code: 'ECONNRESET' }, 'reset', /closed before an answer \(ECONNRESET\)/],
    [{ message: 'something odd' }, 'other', /request to 127\.0\.0\.1:9 failed: something odd/],
  ])('%o → %s', (error, kind, message) => {
    const described = describeNetworkError(error, URL_, 1500);
    expect(described.kind).toBe(kind);
    expect(described.message).toMatch(message);
  });
});

describe('a receiver with a certificate nobody signed', () => {
  it('is a TLS error, named as such, and send exits 1 with one line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pictify-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    const server = createServer(
      { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
      (_req, res) => res.end('ok'),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const config = tempConfigDir();
    try {
      const direct = await postDelivery(
        url,
        { body: Buffer.from('{}'), headers: { 'content-type': 'application/json' } },
        { timeoutMs: 5000 },
      );
      expect(direct.error?.kind).toBe('tls');
      const r = await run(config.dir, ['send', 'render.completed', '--url', url, '--secret', 'whsec_x'], {
        now: () => Date.now(),
      });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/TLS error talking to 127\.0\.0\.1:\d+/);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      config.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
