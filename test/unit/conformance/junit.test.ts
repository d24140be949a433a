import { describe, expect, it } from 'vitest';
import { escapeXml, toJUnitXml, type SuiteReport } from '../../../src/conformance/index.js';
import { parseXml } from './support/xml.js';

const nasty = `a <b> & "c" 'd'\nline\u0001bell`;

const report: SuiteReport = {
  total: 3,
  passed: 1,
  failed: 2,
  ok: false,
  durationMs: 1234,
  results: [
    {
      id: 'valid:render.completed',
      name: 'valid: render.completed',
      expected: '2xx',
      got: '200',
      pass: true,
      statuses: [200],
      latencyMs: 12,
    },
    {
      id: 'stale-timestamp',
      name: 'stale timestamp',
      expected: '4xx',
      got: '200',
      pass: false,
      statuses: [200],
      latencyMs: 7,
      hint: 'reject |now − t| > 300 s',
    },
    {
      id: 'x<y>',
      name: nasty,
      expected: '4xx',
      got: 'error: other',
      pass: false,
      statuses: [null],
      latencyMs: 0,
      error: nasty,
      hint: nasty,
    },
  ],
};

describe('toJUnitXml', () => {
  const xml = toJUnitXml({
    url: 'http://127.0.0.1:3000/hooks?a=1&b=<2>',
    timestamp: '2026-01-29T10:30:00.000Z',
    report,
  });
  const root = parseXml(xml);

  it('is well-formed with suite counts', () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
    expect(root.name).toBe('testsuites');
    expect(root.attributes).toMatchObject({ tests: '3', failures: '2', errors: '0', time: '1.234' });
    expect(root.children).toHaveLength(1);
    const [suite] = root.children;
    expect(suite.attributes).toMatchObject({
      name: 'pictify-hooks check http://127.0.0.1:3000/hooks?a=1&b=<2>',
      tests: '3',
      failures: '2',
      timestamp: '2026-01-29T10:30:00.000Z',
    });
  });

  it('has one testcase per case, a failure with the hint as message on failing ones', () => {
    const cases = root.children[0].children;
    expect(cases.map((c) => c.name)).toEqual(['testcase', 'testcase', 'testcase']);
    expect(cases[0].attributes).toEqual({
      classname: 'pictify-hooks.check',
      name: 'valid: render.completed',
      time: '0.012',
    });
    expect(cases[0].children).toEqual([]);
    expect(cases[1].children[0]).toMatchObject({
      name: 'failure',
      attributes: { message: 'reject |now − t| > 300 s', type: 'stale-timestamp' },
    });
    expect(cases[1].children[0].text).toBe('case stale-timestamp: expected 4xx, got 200');
  });

  it('escapes markup and quotes, keeps newlines, and replaces characters XML cannot carry', () => {
    const failure = root.children[0].children[2].children[0];
    const survivable = nasty.replace('\u0001', '\uFFFD');
    expect(root.children[0].children[2].attributes.name).toBe(survivable);
    expect(failure.attributes.message).toBe(survivable);
    expect(failure.attributes.type).toBe('x<y>');
    expect(failure.text).toContain(`(${survivable})`);
  });
});

describe('escapeXml', () => {
  it('escapes the five special characters', () => {
    expect(escapeXml(`<a href="x">&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;');
  });
});

describe('the test XML checker is strict', () => {
  it.each([
    ['<a><b></a>', /closes/],
    ['<a x=1/>', /not quoted/],
    ['<a>&nbsp;</a>', /bad entity/],
    ['<a>1 & 2</a>', /bad entity/],
    ['<a x="<"/>', /raw </],
    ['<a/><b/>', /after the root/],
    ['<a x="1" x="2"/>', /duplicate attribute/],
    ['<a>\u0001</a>', /control character/],
    ['<a>&#1;</a>', /forbidden character/],
    ['<a>', /unclosed/],
  ])('rejects %j', (xml, message) => {
    expect(() => parseXml(xml)).toThrow(message);
  });
});
