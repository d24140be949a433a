import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type RunningReceiver } from '../../src/receiver/index.js';
import { flagSource } from '../../src/signing/secret-source.js';
import { run, tempConfigDir } from '../helpers/cli.js';
import { EVENT_NAMES } from '../../src/events/index.js';
import { parseXml } from '../unit/conformance/support/xml.js';
import { expressApp } from '../unit/adapters/servers.js';
import {
  startReferenceReceiver,
  type ReferenceReceiver,
  type ReferenceReceiverOptions,
} from '../helpers/reference-receiver.js';

const SECRET = 'whsec_check_test_secret_0123456789';
const FAST = ['--request-gap', '0'];
const realClock = { now: () => Date.now() };

const NEGATIVE_IDS = [
  'tampered-body',
  'wrong-secret',
  'stale-timestamp',
  'future-timestamp',
  'missing-header',
  'malformed-header:garbage',
  'malformed-header:empty-v1',
  'malformed-header:no-t',
  'malformed-header:non-numeric-t',
  'short-signature',
  'reserialized-body',
];
const ALL_IDS = [
  ...EVENT_NAMES.map((e) => `valid:${e}`),
  ...NEGATIVE_IDS,
  'rotation',
  'duplicate-delivery',
  'slow-answer',
];

interface JsonResult {
  id: string;
  name: string;
  expected: string;
  got: string;
  pass: boolean;
  hint?: string;
  statuses: (number | null)[];
  latencyMs: number;
  error?: string;
}
interface JsonReport {
  url: string;
  event: string | null;
  secretSource: string;
  total: number;
  passed: number;
  failed: number;
  ok: boolean;
  durationMs: number;
  results: JsonResult[];
}

let config: ReturnType<typeof tempConfigDir>;
const receivers: ReferenceReceiver[] = [];
beforeAll(() => {
  config = tempConfigDir();
});
afterAll(() => config.cleanup());
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

/** The reference receiver with the suite's secret: correct, or with one flaw (accepts everything: `answer: 200`). */
async function receiver(options: Omit<ReferenceReceiverOptions, 'secret'> = {}): Promise<ReferenceReceiver> {
  const r = await startReferenceReceiver({ secret: SECRET, ...options });
  receivers.push(r);
  return r;
}

async function checkJson(
  url: string,
  extra: string[] = [],
): Promise<{ code: number; report: JsonReport; stderr: string }> {
  const result = await run(config.dir, ['check', url, '--secret', SECRET, '--json', ...FAST, ...extra], realClock);
  return { code: result.code, report: JSON.parse(result.stdout) as JsonReport, stderr: result.stderr };
}

const failedIds = (report: JsonReport) => report.results.filter((r) => !r.pass).map((r) => r.id);
const hintOf = (report: JsonReport, id: string) => report.results.find((r) => r.id === id)?.hint;

describe('check against a correct receiver', () => {
  it('passes every case and exits 0 with a table and a score line', async () => {
    const r = await receiver();
    const result = await run(config.dir, ['check', r.url, '--secret', SECRET, ...FAST], realClock);
    expect(result.stderr).not.toContain(SECRET);
    expect(result.stdout).not.toContain(SECRET);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^CASE\s+EXPECTED\s+GOT\s+RESULT/m);
    expect(result.stdout).toMatch(/^stale timestamp\s+4xx\s+401\s+✓ pass$/m);
    expect(result.stdout).toMatch(/^malformed header: non-numeric t\s+4xx\s+400\s+✓ pass$/m);
    expect(result.stdout).toMatch(/^duplicate delivery\s+2xx, 2xx\s+200, 200\s+✓ pass$/m);
    expect(result.stdout).toContain('score: 20/20 cases passed');
    expect(result.stdout).not.toContain('✗');
    // 6 valid + 11 negative + rotation + 2 × duplicate; nothing else was sent
    expect(r.received).toHaveLength(20);
  });

  it('--json prints one document with every case', async () => {
    const r = await receiver();
    const { code, report } = await checkJson(r.url);
    expect(code).toBe(0);
    expect(report).toMatchObject({
      url: r.url,
      event: null,
      secretSource: 'flag',
      total: 20,
      passed: 20,
      failed: 0,
      ok: true,
    });
    expect(report.results.map((x) => x.id)).toEqual(ALL_IDS);
    for (const x of report.results) {
      expect(x.pass).toBe(true);
      expect(x.hint).toBeUndefined();
      expect(typeof x.latencyMs).toBe('number');
    }
    expect(report.results.find((x) => x.id === 'duplicate-delivery')?.statuses).toEqual([200, 200]);
  });

  it('sends fresh delivery ids, and the duplicate case repeats one', async () => {
    const r = await receiver();
    await checkJson(r.url);
    const ids = r.received.map((q) => q.headers['x-pictify-delivery-id']);
    expect(ids.at(-1)).toBe(ids.at(-2));
    expect(new Set(ids).size).toBe(ids.length - 1);
  });

  it('--event restricts the valid cases and the sample used by the others', async () => {
    const r = await receiver();
    const { code, report } = await checkJson(r.url, ['--event', 'batch.failed']);
    expect(code).toBe(0);
    expect(report.event).toBe('batch.failed');
    expect(report.results.filter((x) => x.id.startsWith('valid:')).map((x) => x.id)).toEqual(['valid:batch.failed']);
    expect(report.total).toBe(15);
    expect(new Set(r.received.map((q) => q.headers['x-pictify-event']))).toEqual(new Set(['batch.failed']));
  });

  it('takes the secret from --subscription or PICTIFY_WEBHOOK_SECRET', async () => {
    const r = await receiver();
    const fromEnv = await run(config.dir, ['check', r.url, '--json', ...FAST], {
      ...realClock,
      env: { PICTIFY_WEBHOOK_SECRET: SECRET },
    });
    expect(fromEnv.code).toBe(0);
    expect((JSON.parse(fromEnv.stdout) as JsonReport).secretSource).toBe('PICTIFY_WEBHOOK_SECRET');

    const stored = await run(config.dir, ['secrets', 'set', 'sub_check1', SECRET]);
    expect(stored.code).toBe(0);
    const fromSub = await run(
      config.dir,
      ['check', r.url, '--subscription', 'sub_check1', '--json', ...FAST],
      realClock,
    );
    expect(fromSub.code).toBe(0);
    expect((JSON.parse(fromSub.stdout) as JsonReport).secretSource).toBe('sub_check1');
  });
});

describe('check --subscription without <url> (issue 24)', () => {
  it("tests the subscription's stored url, as send --subscription does", async () => {
    const r = await receiver();
    const stored = await run(config.dir, ['secrets', 'set', 'sub_check2', SECRET, '--url', r.url]);
    expect(stored.code).toBe(0);
    const result = await run(config.dir, ['check', '--subscription', 'sub_check2', '--json', ...FAST], realClock);
    expect({ code: result.code, stderr: result.stderr.split('\n')[0] }).toEqual({
      code: 0,
      stderr: `checking ${r.url}: 20 cases, signed with the secret of sub_check2`,
    });
    expect((JSON.parse(result.stdout) as JsonReport).secretSource).toBe('sub_check2');
    expect(r.received.length).toBeGreaterThan(0);
  });

  it('neither <url> nor --subscription: one line saying what to pass, exit 2', async () => {
    const result = await run(config.dir, ['check', '--secret', SECRET]);
    expect({ code: result.code, stderr: result.stderr }).toEqual({
      code: 2,
      stderr: 'error: no receiver url — pass <url>, or --subscription <uid> to use its stored target url\n',
    });
  });
});

describe('check against broken receivers fails exactly the cases each one breaks', () => {
  it('(a) accepts everything: every negative case fails with its hint', async () => {
    const r = await receiver({ answer: 200 });
    const { code, report } = await checkJson(r.url);
    expect(code).toBe(1);
    expect(failedIds(report)).toEqual(NEGATIVE_IDS);
    expect(report).toMatchObject({ ok: false, total: 20, passed: 9, failed: 11 });
    expect(hintOf(report, 'stale-timestamp')).toBe('your receiver accepts a stale timestamp: reject |now − t| > 300 s');
    expect(hintOf(report, 'missing-header')).toContain('without X-Pictify-Signature');
    expect(hintOf(report, 'wrong-secret')).toContain('another secret');
  });

  it('(b) parses and re-stringifies before verifying: only the re-serialized body case fails', async () => {
    const r = await receiver({ flaw: 'reserializes' });
    const { code, report } = await checkJson(r.url);
    expect(code).toBe(1);
    expect(failedIds(report)).toEqual(['reserialized-body']);
    expect(hintOf(report, 'reserialized-body')).toContain(
      'HMAC the raw request bytes, parse JSON only after verifying',
    );
  });

  it('(c) no timestamp check: stale, future, missing and non-numeric t fail', async () => {
    const r = await receiver({ flaw: 'no-timestamp-check' });
    const { code, report } = await checkJson(r.url);
    expect(code).toBe(1);
    expect(failedIds(report)).toEqual([
      'stale-timestamp',
      'future-timestamp',
      'malformed-header:no-t',
      'malformed-header:non-numeric-t',
    ]);
    expect(hintOf(report, 'future-timestamp')).toContain('reject |now − t| > 300 s in both directions');
    expect(hintOf(report, 'malformed-header:non-numeric-t')).toContain('NaN');
  });

  it('(d) timingSafeEqual without a length check: the short and empty signatures crash it', async () => {
    const r = await receiver({ flaw: 'crashes-on-length' });
    const { code, report } = await checkJson(r.url);
    expect(code).toBe(1);
    expect(failedIds(report)).toEqual(['malformed-header:empty-v1', 'short-signature']);
    const short = report.results.find((x) => x.id === 'short-signature');
    expect(short).toMatchObject({ got: '500', statuses: [500] });
    expect(short?.hint).toMatch(
      /crashes \(500\) on a v1 of the wrong length instead of rejecting it: compare lengths before timingSafeEqual/,
    );
  });

  it('(e) compares only the first v1: the rotation case fails', async () => {
    const r = await receiver({ flaw: 'first-v1-only' });
    const { code, report } = await checkJson(r.url);
    expect(code).toBe(1);
    expect(failedIds(report)).toEqual(['rotation']);
    expect(report.results.find((x) => x.id === 'rotation')).toMatchObject({ expected: '2xx', got: '401' });
    expect(hintOf(report, 'rotation')).toContain('accept the delivery when any v1 in the header matches');
  });

  it('a receiver that refuses a repeated delivery id fails the duplicate case on the second answer', async () => {
    const r = await receiver({ flaw: 'refuses-duplicates' });
    const { code, report } = await checkJson(r.url);
    expect(code).toBe(1);
    expect(failedIds(report)).toEqual(['duplicate-delivery']);
    expect(report.results.find((x) => x.id === 'duplicate-delivery')).toMatchObject({
      got: '200, 409',
      statuses: [200, 409],
    });
    expect(hintOf(report, 'duplicate-delivery')).toContain('answer 2xx to duplicates');
  });

  it('prints the failures as a table, one fix per failure and a failing score line', async () => {
    const r = await receiver({ flaw: 'no-timestamp-check' });
    const result = await run(config.dir, ['check', r.url, '--secret', SECRET, ...FAST], realClock);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^stale timestamp\s+4xx\s+200\s+✗ fail$/m);
    expect(result.stdout).toContain(
      '  ✗ stale timestamp: your receiver accepts a stale timestamp: reject |now − t| > 300 s',
    );
    expect(result.stdout).toContain('score: 16/20 cases passed, 4 failed');
    expect(result.stderr).not.toContain('error:');
  });
});

describe('check: what the answers say', () => {
  it('an app that answers 500 to everything: one line quoting its answer, not a line per case', async () => {
    const body = 'pictify-hooks: no signing secret configured (set PICTIFY_WEBHOOK_SECRET)';
    const r = await receiver({ answer: { status: 500, body, contentType: 'text/plain' } });
    const result = await run(config.dir, ['check', r.url, '--secret', SECRET, ...FAST], realClock);
    expect(result.code).toBe(1);
    const fixes = result.stdout.split('How to fix:\n')[1].split('\n\n')[0].split('\n');
    expect(fixes).toEqual([
      `  ✗ 19 cases: your receiver answered 500 to every one of them: "${body}" — fix that error first, then run check again`,
    ]);
    const json = await checkJson(r.url);
    const failed = json.report.results.filter((c) => !c.pass);
    expect(failed).toHaveLength(19);
    expect(failed.map((c) => (c as { answer?: string }).answer)).toEqual(failed.map(() => body));
  });

  it("an Express app with express.json() first, on Express's default error page: the quote is the adapter's fix", async () => {
    const app = await expressApp({ secret: SECRET, on: {} }, { jsonFirst: true, defaultErrorPage: true });
    try {
      const result = await run(config.dir, ['check', app.url, '--secret', SECRET, ...FAST], realClock);
      expect(result.code).toBe(1);
      const fixes = result.stdout.split('How to fix:\n')[1].split('\n\n')[0].split('\n');
      expect(fixes).toHaveLength(1);
      expect(fixes[0]).toMatch(
        /^ {2}✗ 19 cases: your receiver answered 500 to every one of them: "BodyAlreadyParsedError: pictify-hooks: the request body was already parsed .*Mount pictifyWebhooks\(\) before express\.json\(\)/,
      );
      expect(fixes[0]).not.toContain('<');
    } finally {
      await app.close();
    }
  });

  it('the duplicate case passing on 2xx twice says the answers cannot show whether it processed twice', async () => {
    const r = await receiver();
    const result = await run(config.dir, ['check', r.url, '--secret', SECRET, ...FAST], realClock);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'duplicate delivery: two 2xx answers cannot show whether the receiver processed the delivery twice',
    );
  });
});

describe('check: network failures', () => {
  it('a refused connection fails the first case with the error named and sends nothing more', async () => {
    const r = await receiver();
    const url = r.url;
    await r.close();
    receivers.splice(receivers.indexOf(r), 1);
    const { code, report } = await checkJson(url);
    expect(code).toBe(1);
    expect(report.passed).toBe(0);
    expect(report.results[0]).toMatchObject({ got: 'error: refused', pass: false });
    expect(report.results[0].error).toMatch(/connection refused/);
    expect(report.results[1]).toMatchObject({ got: 'not sent', pass: false });
  });

  it('a receiver that is down: one line naming it, exit 1, no table of 20 failures', async () => {
    const r = await receiver();
    const url = r.url;
    await r.close();
    receivers.splice(receivers.indexOf(r), 1);
    const result = await run(config.dir, ['check', url, '--secret', SECRET, ...FAST], realClock);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(2); // "checking …" and the error
    expect(lines[1]).toMatch(
      new RegExp(`^error: cannot reach ${url.replace(/[.?*+]/g, '\\$&')}: connection refused .* — no case was graded`),
    );
  });

  it('a receiver slower than --timeout fails each case with a timeout', async () => {
    const r = await receiver({ delayMs: 400 });
    const { code, report } = await checkJson(r.url, ['--timeout', '100ms', '--event', 'render.completed']);
    expect(code).toBe(1);
    expect(report.results[0]).toMatchObject({ id: 'valid:render.completed', got: 'error: timeout', pass: false });
    expect(report.results[0].hint).toMatch(/no answer from 127\.0\.0\.1:\d+ within 100 ms/);
  });
});

describe('check sends only to the given url', () => {
  it('does not follow redirects: a 307 is graded as the answer and the target gets nothing', async () => {
    const target = await receiver();
    const redirecting = await receiver({ answer: { status: 307, body: '', headers: { location: target.url } } });
    const { code, report } = await checkJson(redirecting.url, ['--event', 'render.completed']);
    expect(code).toBe(1);
    expect(target.received).toHaveLength(0);
    expect(report.results[0]).toMatchObject({
      got: '307',
      hint: 'expected 2xx, got 307: answer 2xx directly (redirects are not followed)',
    });
  });
});

describe('check --junit', () => {
  it('writes well-formed JUnit XML with the right counts and the hints as failure messages', async () => {
    const r = await receiver({ flaw: 'no-timestamp-check' });
    const file = join(config.dir, 'report.xml');
    const result = await run(config.dir, ['check', r.url, '--secret', SECRET, '--junit', file, ...FAST], realClock);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`JUnit report written to ${file}`);
    const root = parseXml(readFileSync(file, 'utf8'));
    expect(root.name).toBe('testsuites');
    expect(root.attributes).toMatchObject({ tests: '20', failures: '4', errors: '0' });
    const [suite] = root.children;
    expect(suite.name).toBe('testsuite');
    expect(suite.attributes).toMatchObject({ tests: '20', failures: '4' });
    expect(suite.children).toHaveLength(20);
    const failing = suite.children.filter((c) => c.children.some((f) => f.name === 'failure'));
    expect(failing.map((c) => c.attributes.name)).toEqual([
      'stale timestamp',
      'future timestamp',
      'malformed header: no t',
      'malformed header: non-numeric t',
    ]);
    expect(failing[0].children[0].attributes.message).toBe(
      'your receiver accepts a stale timestamp: reject |now − t| > 300 s',
    );
    // the no-t hint quotes "undefined.<body>": it must survive the escaping
    expect(failing[2].children[0].attributes.message).toContain('"undefined.<body>"');
  });

  it('writes a report with zero failures when everything passes', async () => {
    const r = await receiver();
    const file = join(config.dir, 'ok.xml');
    const result = await run(
      config.dir,
      ['check', r.url, '--secret', SECRET, '--junit', file, '--json', ...FAST],
      realClock,
    );
    expect(result.code).toBe(0);
    JSON.parse(result.stdout); // stdout stays pure JSON
    const root = parseXml(readFileSync(file, 'utf8'));
    expect(root.attributes).toMatchObject({ tests: '20', failures: '0' });
  });

  it('an unwritable report path is a failure with the path named', async () => {
    const r = await receiver();
    const file = join(config.dir, 'no-such-dir', 'r.xml');
    const result = await run(config.dir, ['check', r.url, '--secret', SECRET, '--junit', file, ...FAST], realClock);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`cannot write the JUnit report to ${file}: ENOENT`);
    expect(existsSync(file)).toBe(false);
  });
});

describe('check: bad input', () => {
  it.each([
    [['check'], /^error: no receiver url — pass <url>, or --subscription <uid>/],
    [['check', 'not a url', '--secret', SECRET], /<url>: invalid url "not a url"/],
    [['check', 'ftp://127.0.0.1/x', '--secret', SECRET], /only http and https/],
    [['check', 'http://127.0.0.1:1/x', '--secret', SECRET, '--event', 'nope'], /unknown event "nope"/],
    [['check', 'http://127.0.0.1:1/x', '--secret', SECRET, '--timeout', 'soon'], /--timeout: invalid duration "soon"/],
    [['check', 'http://127.0.0.1:1/x'], /no webhook secret/],
    [
      ['check', 'http://127.0.0.1:1/x', '--secret', SECRET, '--subscription', 'sub_1'],
      /--secret and --subscription cannot be used together/,
    ],
    [
      ['check', 'http://127.0.0.1:1/x', '--subscription', 'sub_unknown'],
      /no stored secret for subscription sub_unknown/,
    ],
  ])('%j exits 2 with a one-line error', async (args, message) => {
    const result = await run(config.dir, args as string[]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });

  it('--help lists the flags and examples', async () => {
    const result = await run(config.dir, ['check', '--help']);
    expect(result.code).toBe(0);
    for (const flag of ['--secret', '--subscription', '--event', '--timeout', '--junit', 'Examples:'])
      expect(result.stdout).toContain(flag);
    expect(result.stdout).not.toContain('--request-gap');
  });
});

// The receiver we ship must pass every case.
describe('check against our own listen receiver (in-process)', () => {
  const LISTEN_SECRET = 'whsec_listen_check_secret';
  let listening: RunningReceiver | undefined;
  afterEach(async () => {
    await listening?.close();
    listening = undefined;
  });

  it('check passes every case against listen, and the receiver counts what it refused', async () => {
    listening = await startReceiver({
      port: 0,
      secrets: [{ secret: LISTEN_SECRET, source: flagSource() }],
      store: null,
    });
    const result = await run(
      config.dir,
      ['check', listening.url, '--secret', LISTEN_SECRET, '--json', '--request-gap', '0'],
      {
        now: () => Date.now(),
      },
    );
    const report = JSON.parse(result.stdout) as {
      ok: boolean;
      passed: number;
      total: number;
      results: { id: string; pass: boolean; got: string }[];
    };
    expect(report.results.filter((r) => !r.pass)).toEqual([]);
    expect(result.code).toBe(0);
    expect(report).toMatchObject({ ok: true, passed: 20, total: 20 });
    // 20 requests: 6 valid + rotation + 2 duplicates verified, 11 refused, the second duplicate recognised
    expect(listening.stats).toMatchObject({ received: 20, verified: 9, rejected: 11, duplicates: 1 });
  });
});
