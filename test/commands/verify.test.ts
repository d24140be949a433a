import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { openConfig } from '../../src/store/config.js';
import { run, useConfigDir } from '../helpers/cli.js';

// Headers are made here with node:crypto, independently of src/signing.
const SECRET = 'whsec_verify_secret_abcdef';
const T = 1_700_000_000;
const BODY = JSON.stringify({
  event: 'render.completed',
  timestamp: '2023-11-14T22:13:20Z',
  data: { url: 'https://x/y.png', deliveryId: 'del_1' },
});
const sig = (secret: string, t: number, body: string) =>
  createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
const header = (secret = SECRET, t = T, body = BODY) => `t=${t},v1=${sig(secret, t, body)}`;

const dir = useConfigDir();
const bodyFile = join(dir, 'body.json');
beforeEach(() => writeFileSync(bodyFile, BODY));

const verify = (args: string[], opts: Parameters<typeof run>[2] = {}) =>
  run(dir, ['verify', '--now', String(T + 10), ...args], opts);

describe('verify', () => {
  it('accepts a valid delivery and names the secret that matched', async () => {
    const r = await verify(['--header', header(), '--payload', `@${bodyFile}`, '--secret', SECRET]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('valid (matched --secret)\n');
    expect(r.stderr).toBe('');
  });

  it('--payload @missing.json says in words that the file does not exist (exit 2, no errno code)', async () => {
    const missing = join(dir, 'missing.json');
    const r = await verify(['--header', header(), '--payload', `@${missing}`, '--secret', SECRET]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: --payload: cannot read ${missing}: no such file or folder\n`);
  });

  it('--payload @folder says it is a folder', async () => {
    const r = await verify(['--header', header(), '--payload', `@${dir}`, '--secret', SECRET]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`cannot read ${dir}: it is a folder, not a file`);
    expect(r.stderr).not.toMatch(/E[A-Z]{3,}/);
  });

  it("--subscription verifies with that subscription's stored secret only, as send and check sign with it", async () => {
    const config = await openConfig({ cwd: dir });
    config.saveSecret('default', 'wh_first', { secret: 'whsec_first' });
    config.saveSecret('default', 'wh_second', { secret: SECRET });
    const good = await verify(['--header', header(), '--payload', `@${bodyFile}`, '--subscription', 'wh_second']);
    expect(good.code, good.stderr).toBe(0);
    expect(good.stdout).toBe('valid (matched the secret of wh_second)\n');
    const other = await verify(['--header', header(), '--payload', `@${bodyFile}`, '--subscription', 'wh_first']);
    expect(other.code).toBe(1);
    const none = await verify(['--header', header(), '--payload', `@${bodyFile}`, '--subscription', 'wh_gone']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no stored secret for subscription wh_gone');
  });

  it('accepts the header with its X-Pictify-Signature: name', async () => {
    const r = await verify([
      '--header',
      `X-Pictify-Signature: ${header()}`,
      '--payload',
      `@${bodyFile}`,
      '--secret',
      SECRET,
    ]);
    expect(r.code).toBe(0);
  });

  it('reads the payload from stdin with --payload -', async () => {
    const r = await verify(['--header', header(), '--payload', '-', '--secret', SECRET], { stdin: BODY });
    expect(r.code).toBe(0);
  });

  it('an empty stdin (piped or --payload -) or an empty file says "no payload", exit 2', async () => {
    for (const args of [[], ['--payload', '-']]) {
      const r = await verify(['--header', header(), '--secret', SECRET, ...args], { stdin: '' });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^error: no payload: standard input was empty — pipe the raw body/);
      expect(r.stdout).toBe('');
    }
    writeFileSync(bodyFile, '');
    const file = await verify(['--header', header(), '--secret', SECRET, '--payload', `@${bodyFile}`]);
    expect(file.code).toBe(2);
    expect(file.stderr).toContain(`no payload: ${bodyFile} is empty`);
  });

  it('without --secret tries PICTIFY_WEBHOOK_SECRET', async () => {
    const r = await verify(['--header', header(), '--payload', `@${bodyFile}`], {
      env: { PICTIFY_WEBHOOK_SECRET: SECRET },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('matched PICTIFY_WEBHOOK_SECRET');
  });

  it('without --secret tries every stored secret of the profile and says which matched', async () => {
    const config = await openConfig({ cwd: dir });
    config.saveSecret('default', 'wh_first', { secret: 'whsec_first' });
    config.saveSecret('default', 'wh_second', { secret: SECRET });
    const r = await verify(['--header', header(), '--payload', `@${bodyFile}`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('valid (matched the secret of wh_second)\n');
  });

  it('accepts when one of several --secret values matches (rotation)', async () => {
    const r = await verify([
      '--header',
      header(),
      '--payload',
      `@${bodyFile}`,
      '--secret',
      'whsec_old',
      '--secret',
      SECRET,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('matched --secret #2');
  });

  it('exits 2 when there is no secret anywhere', async () => {
    const r = await verify(['--header', header(), '--payload', `@${bodyFile}`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no webhook secret');
  });

  const broken: Array<[string, () => { args: string[]; reason: string; finding: RegExp }]> = [
    [
      'tampered body',
      () => {
        writeFileSync(bodyFile, BODY.replace('y.png', 'z.png'));
        return { args: ['--secret', SECRET], reason: 'signature_mismatch', finding: /changed in transit/ };
      },
    ],
    [
      'wrong secret',
      () => ({ args: ['--secret', 'whsec_wrong'], reason: 'signature_mismatch', finding: /unexplained_mismatch/ }),
    ],
    [
      'secret with whitespace',
      () => ({ args: ['--secret', `${SECRET}\n`], reason: 'signature_mismatch', finding: /whitespace/ }),
    ],
    [
      're-serialized body',
      () => {
        writeFileSync(bodyFile, JSON.stringify(JSON.parse(BODY), null, 2));
        return { args: ['--secret', SECRET], reason: 'signature_mismatch', finding: /re-serialized/ };
      },
    ],
  ];
  for (const [name, setup] of broken) {
    it(`names the reason for a ${name}`, async () => {
      const { args, reason, finding } = setup();
      const r = await verify(['--header', header(), '--payload', `@${bodyFile}`, ...args]);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`invalid: ${reason}`);
      expect(r.stderr).toMatch(finding);
    });
  }

  it('names stale, future, malformed and missing-t headers', async () => {
    const cases: Array<[string, string, RegExp]> = [
      [header(SECRET, T - 3600), 'timestamp_too_old', /1 h|3600 s|past the 300 s limit/],
      [header(SECRET, T + 3600), 'timestamp_in_future', /in the future/],
      ['garbage', 'malformed_header', /key=value/],
      [`v1=${sig(SECRET, T, BODY)}`, 'missing_timestamp', /no t= timestamp/],
    ];
    for (const [h, reason, message] of cases) {
      const r = await verify(['--header', h, '--payload', `@${bodyFile}`, '--secret', SECRET]);
      expect(r.code, reason).toBe(1);
      expect(r.stderr).toContain(`invalid: ${reason}`);
      expect(r.stderr).toMatch(message);
    }
  });

  it('says which stored subscription a mismatching signature belongs to', async () => {
    const config = await openConfig({ cwd: dir });
    config.saveSecret('default', 'wh_other', { secret: 'whsec_other' });
    const r = await verify(['--header', header('whsec_other'), '--payload', `@${bodyFile}`, '--secret', SECRET]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('wh_other');
  });

  it('PICTIFY_WEBHOOK_SECRET over a stored secret that signed it: says the env var overrides the profile', async () => {
    const config = await openConfig({ cwd: dir });
    config.saveSecret('default', 'wh_other', { secret: 'whsec_other' });
    const r = await verify(['--header', header('whsec_other'), '--payload', `@${bodyFile}`], {
      env: { PICTIFY_WEBHOOK_SECRET: SECRET },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      '  - The signature matches the stored secret of wh_other; PICTIFY_WEBHOOK_SECRET overrides the profile ' +
        '(unset it to verify with the stored secrets) [other_secret_matches]\n',
    );
  });

  it('an empty --secret (an unset variable) is refused, not replaced by PICTIFY_WEBHOOK_SECRET', async () => {
    const r = await run(dir, ['verify', '--header', 't=1,v1=00', '--payload', '{}', '--secret', ''], {
      env: { PICTIFY_WEBHOOK_SECRET: SECRET },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--secret must not be empty/);
  });

  it('--tolerance widens the window; 0 is refused rather than disabling it', async () => {
    const stale = header(SECRET, T - 400);
    expect((await verify(['--header', stale, '--payload', `@${bodyFile}`, '--secret', SECRET])).code).toBe(1);
    expect(
      (await verify(['--header', stale, '--payload', `@${bodyFile}`, '--secret', SECRET, '--tolerance', '10m'])).code,
    ).toBe(0);
    expect(
      (await verify(['--header', stale, '--payload', `@${bodyFile}`, '--secret', SECRET, '--tolerance', '0'])).code,
    ).toBe(2);
    // Nor may a window so wide it never expires (a huge number parses to Infinity).
    for (const huge of ['1' + '0'.repeat(400), '8d', '999999999h']) {
      const r = await verify(['--header', stale, '--payload', `@${bodyFile}`, '--secret', SECRET, '--tolerance', huge]);
      expect(r.code, huge).toBe(2);
      expect(r.stderr).toMatch(/--tolerance/);
    }
  });

  it('adds the CLI hint (the library error carries none): a stale delivery points at --tolerance', async () => {
    const r = await verify(['--header', header(SECRET, T - 3600), '--payload', `@${bodyFile}`, '--secret', SECRET]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^hint: .*--tolerance/m);
  });

  it('uses the clock when --now is absent', async () => {
    const args = ['verify', '--header', header(), '--payload', `@${bodyFile}`, '--secret', SECRET];
    expect((await run(dir, args, { now: (T + 60) * 1000 })).code).toBe(0);
    expect((await run(dir, args, { now: (T + 6000) * 1000 })).code).toBe(1);
  });

  it('--json prints {valid, reason, matched, timestamp, findings}', async () => {
    const ok = await verify(['--header', header(), '--payload', `@${bodyFile}`, '--secret', SECRET, '--json']);
    expect(JSON.parse(ok.stdout)).toEqual({ valid: true, matched: 'flag', timestamp: T, findings: [] });
    const bad = await verify([
      '--header',
      header(SECRET, T - 3600),
      '--payload',
      `@${bodyFile}`,
      '--secret',
      SECRET,
      '--json',
    ]);
    expect(bad.code).toBe(1);
    const out = JSON.parse(bad.stdout);
    expect(out).toMatchObject({ valid: false, reason: 'timestamp_too_old', timestamp: T - 3600 });
    expect(out.findings.map((f: { code: string }) => f.code)).toContain('timestamp_too_old');
    const malformed = await verify(['--header', 'garbage', '--payload', `@${bodyFile}`, '--secret', SECRET, '--json']);
    expect(JSON.parse(malformed.stdout)).toMatchObject({ valid: false, reason: 'malformed_header', timestamp: null });
  });

  it('requires --header', async () => {
    const r = await run(dir, ['verify', '--payload', `@${bodyFile}`, '--secret', SECRET]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--header');
  });
});
