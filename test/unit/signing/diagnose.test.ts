import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { diagnose, signPayload, type DiagnoseOptions, type FindingCode } from '../../../src/signing/index.js';

const NOW = 1_700_000_000;
const SECRET = 'whsec_abc123';
const COMPACT = '{"event":"render.completed","data":{"url":"https://cdn.pictify.io/a.png","width":1200}}';
const PRETTY = JSON.stringify(JSON.parse(COMPACT), null, 2);

function codes(options: Partial<DiagnoseOptions> & Pick<DiagnoseOptions, 'header'>): FindingCode[] {
  return diagnose({ payload: COMPACT, secrets: [{ secret: SECRET }], now: NOW, ...options }).map((f) => f.code);
}

const sign = (payload: string, secret = SECRET, timestamp = NOW) => signPayload({ payload, secret, timestamp });

describe('diagnose', () => {
  it('finds nothing wrong with a valid delivery', () => {
    expect(codes({ header: sign(COMPACT) })).toEqual([]);
  });

  it('reports header problems with the verification reason', () => {
    expect(codes({ header: undefined })).toEqual(['missing_header']);
    expect(codes({ header: 'nonsense' })).toEqual(['malformed_header']);
    expect(codes({ header: 'v1=abc' })).toEqual(['missing_timestamp']);
    expect(codes({ header: `t=${NOW}` })).toEqual(['no_signatures']);
  });

  it('secret_whitespace: the secret has a trailing newline', () => {
    const findings = diagnose({
      payload: COMPACT,
      header: sign(COMPACT),
      secrets: [{ secret: `${SECRET}\n`, label: 'wh_1' }],
      now: NOW,
    });
    expect(findings.map((f) => f.code)).toEqual(['secret_whitespace']);
    expect(findings[0].message).toContain('wh_1');
    expect(findings[0].message).not.toContain(SECRET); // secrets never appear in findings
  });

  it('payload_reserialized: signed compact, verified pretty-printed', () => {
    const findings = diagnose({ payload: PRETTY, header: sign(COMPACT), secrets: [{ secret: SECRET }], now: NOW });
    expect(findings.map((f) => f.code)).toEqual(['payload_reserialized']);
    expect(findings[0].message).toMatch(/compact/);
  });

  it('payload_reserialized: signed pretty-printed, verified compact', () => {
    const findings = diagnose({ payload: COMPACT, header: sign(PRETTY), secrets: [{ secret: SECRET }], now: NOW });
    expect(findings.map((f) => f.code)).toEqual(['payload_reserialized']);
    expect(findings[0].message).toMatch(/indented/);
  });

  it('payload_trailing_newline: an editor added a newline to the body file', () => {
    expect(codes({ payload: `${COMPACT}\n`, header: sign(COMPACT) })).toEqual(['payload_trailing_newline']);
    expect(codes({ payload: COMPACT, header: sign(`${COMPACT}\n`) })).toEqual(['payload_trailing_newline']);
  });

  it('other_secret_matches: names the subscription whose secret signed it', () => {
    const findings = diagnose({
      payload: COMPACT,
      header: sign(COMPACT, 'whsec_other'),
      secrets: [{ secret: SECRET, label: 'wh_given' }],
      knownSecrets: [
        { secret: 'whsec_unrelated', label: 'wh_a' },
        { secret: 'whsec_other', label: 'wh_b' },
      ],
      now: NOW,
    });
    expect(findings).toEqual([{ code: 'other_secret_matches', message: expect.stringContaining('wh_b') }]);
  });

  it('timestamp_too_old and timestamp_in_future say by how much', () => {
    const old = diagnose({
      payload: COMPACT,
      header: sign(COMPACT, SECRET, NOW - 900),
      secrets: [{ secret: SECRET }],
      now: NOW,
    });
    expect(old).toEqual([
      { code: 'timestamp_too_old', message: expect.stringContaining('Signed 900 s ago, 600 s past the 300 s limit') },
    ]);
    const future = diagnose({
      payload: COMPACT,
      header: sign(COMPACT, SECRET, NOW + 400),
      secrets: [{ secret: SECRET }],
      now: NOW,
    });
    expect(future).toEqual([
      { code: 'timestamp_in_future', message: expect.stringContaining('400 s in the future, 100 s past') },
    ]);
  });

  it('just past the limit: the excess in decimals, never "0 s past the 300 s limit"', () => {
    const findings = diagnose({
      payload: COMPACT,
      header: sign(COMPACT, SECRET, NOW - 300),
      secrets: [{ secret: SECRET }],
      now: NOW + 0.25,
    });
    expect(findings).toEqual([
      { code: 'timestamp_too_old', message: expect.stringContaining('Signed 300.3 s ago, 0.3 s past the 300 s limit') },
    ]);
  });

  it('timestamp problems and signature problems are reported together', () => {
    expect(codes({ payload: PRETTY, header: sign(COMPACT, SECRET, NOW - 900) })).toEqual([
      'timestamp_too_old',
      'payload_reserialized',
    ]);
  });

  it('timestamp_in_milliseconds', () => {
    const header = sign(COMPACT, SECRET, NOW * 1000);
    expect(codes({ header })).toEqual(['timestamp_in_milliseconds', 'timestamp_in_future']);
  });

  it('secret_prefix_missing: the user stripped whsec_ from the secret', () => {
    expect(codes({ header: sign(COMPACT), secrets: [{ secret: 'abc123' }] })).toEqual(['secret_prefix_missing']);
  });

  it('secret_prefix_stripped: the sender signed without the whsec_ prefix', () => {
    expect(codes({ header: sign(COMPACT, 'abc123') })).toEqual(['secret_prefix_stripped']);
  });

  it('foreign_scheme: GitHub sha256= header, and says when it is HMAC(secret, body)', () => {
    const gh = createHmac('sha256', SECRET).update(COMPACT).digest('hex');
    const findings = diagnose({ payload: COMPACT, header: `sha256=${gh}`, secrets: [{ secret: SECRET }], now: NOW });
    expect(findings.map((f) => f.code)).toEqual(['missing_timestamp', 'foreign_scheme']);
    expect(findings[1].message).toMatch(/GitHub.*X-Hub-Signature-256.*HMAC-SHA256\(secret, body\)/s);
  });

  it('foreign_scheme: GitHub legacy sha1= header', () => {
    const findings = diagnose({
      payload: COMPACT,
      header: `sha1=${'a'.repeat(40)}`,
      secrets: [{ secret: SECRET }],
      now: NOW,
    });
    expect(findings[1]).toEqual({ code: 'foreign_scheme', message: expect.stringContaining('X-Hub-Signature (sha1') });
  });

  it('foreign_scheme: Svix / Standard Webhooks v1,<base64>', () => {
    const findings = diagnose({
      payload: COMPACT,
      header: 'v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4= v1,bm9wZQ==',
      secrets: [{ secret: SECRET }],
      now: NOW,
    });
    expect(findings.map((f) => f.code)).toEqual(['malformed_header', 'foreign_scheme']);
    expect(findings[1].message).toMatch(/Svix/);
  });

  it('foreign_scheme: a bare HMAC of the body without t=', () => {
    const bare = createHmac('sha256', SECRET).update(COMPACT).digest('hex');
    const findings = diagnose({ payload: COMPACT, header: bare, secrets: [{ secret: SECRET }], now: NOW });
    expect(findings[1]).toEqual({ code: 'foreign_scheme', message: expect.stringContaining('body alone') });
  });

  it('foreign_scheme by header name: X-Hub-Signature-256 and Stripe-Signature lines', () => {
    const gh = diagnose({
      payload: COMPACT,
      header: `X-Hub-Signature-256: sha256=${'b'.repeat(64)}`,
      secrets: [{ secret: SECRET }],
      now: NOW,
    });
    expect(gh[0]).toEqual({ code: 'foreign_scheme', message: expect.stringContaining("GitHub's signature header") });
    const stripe = diagnose({
      payload: COMPACT,
      header: `Stripe-Signature: ${sign(COMPACT, 'whsec_stripe')}`,
      secrets: [{ secret: SECRET }],
      now: NOW,
    });
    expect(stripe.map((f) => f.code)).toEqual(['foreign_scheme', 'unexplained_mismatch']);
    expect(stripe[0].message).toMatch(/Stripe secret/);
  });

  it('header_includes_name: the whole header line was pasted, and the value is still diagnosed', () => {
    expect(codes({ header: `X-Pictify-Signature: ${sign(COMPACT)}` })).toEqual(['header_includes_name']);
    expect(codes({ header: `x-pictify-signature: ${sign(COMPACT, 'abc123')}` })).toEqual([
      'header_includes_name',
      'secret_prefix_stripped',
    ]);
  });

  it('no_secrets, still naming a known secret that matches', () => {
    const findings = diagnose({
      payload: COMPACT,
      header: sign(COMPACT),
      secrets: [],
      knownSecrets: [{ secret: SECRET, label: 'wh_9' }],
      now: NOW,
    });
    expect(findings).toEqual([{ code: 'no_secrets', message: expect.stringContaining('wh_9') }]);
  });

  it('unexplained_mismatch when nothing explains it', () => {
    expect(codes({ payload: '{"tampered":true}', header: sign(COMPACT) })).toEqual(['unexplained_mismatch']);
  });

  it('labels unnamed secrets by position and never prints secret values', () => {
    const findings = diagnose({
      payload: COMPACT,
      header: sign(COMPACT),
      secrets: [{ secret: 'whsec_zzz' }, { secret: ` ${SECRET} ` }],
      now: NOW,
    });
    expect(findings).toEqual([{ code: 'secret_whitespace', message: expect.stringContaining('secret #2') }]);
    expect(JSON.stringify(findings)).not.toContain('abc123');
  });

  it('handles binary bodies without throwing', () => {
    const body = Buffer.from([0xff, 0x00, 0xfe]);
    expect(
      diagnose({ payload: body, header: sign('x'), secrets: [{ secret: SECRET }], now: NOW }).map((f) => f.code),
    ).toEqual(['unexplained_mismatch']);
  });
});
