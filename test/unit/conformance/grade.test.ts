import { describe, expect, it } from 'vitest';
import { gradeCase, type CaseDefinition } from '../../../src/conformance/index.js';
import type { PostResult } from '../../../src/outbound/post.js';
import { answerLine } from '../../../src/conformance/grade.js';

const def = (id: string, expected: '2xx' | '4xx', sent = 'something'): CaseDefinition => ({
  id,
  name: id,
  expected,
  valid: expected === '2xx',
  sent,
  build: () => [],
});
const answer = (status: number, latencyMs = 5): PostResult => ({ status, latencyMs, body: '', headers: {} });
const failure = (kind: 'timeout' | 'refused', message: string): PostResult => ({
  latencyMs: 100,
  body: '',
  headers: {},
  error: { kind, message },
});

describe('gradeCase', () => {
  it('passes when every answer is in the expected class', () => {
    expect(gradeCase(def('valid:render.completed', '2xx'), [answer(204)])).toEqual({
      id: 'valid:render.completed',
      name: 'valid:render.completed',
      expected: '2xx',
      got: '204',
      pass: true,
      statuses: [204],
      latencyMs: 5,
    });
    expect(gradeCase(def('stale-timestamp', '4xx'), [answer(401)]).pass).toBe(true);
    expect(gradeCase(def('duplicate-delivery', '2xx'), [answer(200, 3), answer(202, 4)])).toMatchObject({
      pass: true,
      expected: '2xx, 2xx',
      got: '200, 202',
      latencyMs: 7,
    });
  });

  it('a negative case answered 2xx names what was accepted', () => {
    const r = gradeCase(def('stale-timestamp', '4xx'), [answer(200)]);
    expect(r).toMatchObject({
      pass: false,
      got: '200',
      hint: 'your receiver accepts a stale timestamp: reject |now − t| > 300 s',
    });
    expect(gradeCase(def('new-case', '4xx', 'a funny header'), [answer(200)]).hint).toBe(
      'your receiver accepts a funny header: answer 4xx',
    );
  });

  it('a 5xx on a negative case is a crash, not a rejection', () => {
    expect(gradeCase(def('short-signature', '4xx', 'a v1 of the wrong length'), [answer(500)]).hint).toBe(
      'your receiver crashes (500) on a v1 of the wrong length instead of rejecting it: compare lengths before timingSafeEqual and answer 401',
    );
    expect(gradeCase(def('missing-header', '4xx', 'a delivery without X-Pictify-Signature'), [answer(502)]).hint).toBe(
      'your receiver crashes (502) on a delivery without X-Pictify-Signature instead of rejecting it: catch verification errors and answer 4xx',
    );
  });

  it('a valid case refused or failing says why it matters', () => {
    expect(gradeCase(def('valid:batch.failed', '2xx'), [answer(401)]).hint).toMatch(
      /refuses a correctly signed delivery: HMAC-SHA256 of "<t>.<raw body>"/,
    );
    expect(gradeCase(def('rotation', '2xx'), [answer(401)]).hint).toMatch(/checks only the first v1/);
    expect(
      gradeCase(def('valid:render.completed', '2xx', 'a correctly signed render.completed delivery'), [answer(500)])
        .hint,
    ).toBe(
      'your receiver fails with 500 on a correctly signed render.completed delivery: Pictify retries and pauses the subscription after 5 failures',
    );
  });

  it('duplicate: a refused first copy is a verification problem, a refused second copy a duplicate problem', () => {
    expect(gradeCase(def('duplicate-delivery', '2xx'), [answer(401)]).hint).toMatch(
      /refuses a correctly signed delivery/,
    );
    const second = gradeCase(def('duplicate-delivery', '2xx'), [answer(200), answer(409)]);
    expect(second).toMatchObject({ pass: false, got: '200, 409', statuses: [200, 409] });
    expect(second.hint).toMatch(/refuses a repeated delivery id/);
  });

  it('redirects and other classes are unexpected statuses', () => {
    expect(gradeCase(def('stale-timestamp', '4xx'), [answer(302)]).hint).toBe(
      'expected 4xx, got 302: answer 4xx directly (redirects are not followed)',
    );
  });

  it('a network error fails the row with the error named', () => {
    const r = gradeCase(def('wrong-secret', '4xx'), [failure('timeout', 'no answer from h:1 within 5 ms')]);
    expect(r).toMatchObject({
      pass: false,
      got: 'error: timeout',
      statuses: [null],
      error: 'no answer from h:1 within 5 ms',
      hint: 'no answer: no answer from h:1 within 5 ms',
    });
  });
});

describe('answerLine: the first line of a failing answer, as a person reads it', () => {
  it.each([
    ['plain text', 'no secret configured\nat line 2', 'no secret configured'],
    ['JSON', '{"error":"handler_failed"}', '{"error":"handler_failed"}'],
    [
      "Express's default page (development)",
      '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n<body>\n<pre>TypeError: Cannot read &#39;x&#39; of undefined &amp; more<br> &nbsp; &nbsp;at handler (/app/index.js:3:9)</pre>\n</body>\n</html>\n',
      "TypeError: Cannot read 'x' of undefined & more",
    ],
    [
      "Express's default page (production)",
      '<!DOCTYPE html><html><head><title>Error</title></head><body><pre>Internal Server Error</pre></body></html>',
      'Internal Server Error',
    ],
    [
      'a page without <pre>',
      '<html><body><h1>502 Bad Gateway</h1><hr><center>nginx</center></body></html>',
      '502 Bad Gateway nginx',
    ],
    ['escaped markup stays text', '<pre>&amp;lt;b&amp;gt; &#x41;&#0;</pre>', '&lt;b&gt; A&#0;'],
    ['empty', '  \n ', undefined],
  ])('%s', (_name, body, line) => {
    expect(answerLine(body)).toBe(line);
  });
});
