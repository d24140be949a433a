// Every flag parser, as tables: what each spelling means, and what each bad value says.
import { describe, expect, it } from 'vitest';
import { formatDuration } from '../../../src/output/duration.js';
import {
  isLoopbackHost,
  parseCount,
  parseDuration,
  parseEventName,
  parseEventPattern,
  parseEventPatterns,
  parseHttpUrl,
  parsePort,
  parsePositiveNumber,
  parseRoute,
  parseSince,
  parseSize,
  parseTolerance,
  parseUnixSeconds,
  rangeText,
} from '../../../src/cli/flags.js';
import { closest, editDistance } from '../../../src/cli/suggest.js';
import { UsageError } from '../../../src/cli/errors.js';

function usage(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    const e = error as UsageError;
    return e.hint ? `${e.message} — ${e.hint}` : e.message;
  }
  throw new Error('expected a UsageError');
}

describe('parseDuration: a bare number is seconds', () => {
  it.each([
    ['10', 10_000],
    ['0.5', 500],
    ['250ms', 250],
    ['30s', 30_000],
    ['10m', 600_000],
    ['2h', 7_200_000],
    ['7d', 604_800_000],
    [' 1.5 S ', 1500],
    ['1500MS', 1500],
  ])('%j → %d ms', (value, ms) => expect(parseDuration(value, '--timeout')).toBe(ms));

  it.each([
    ['soon', '--timeout: invalid duration "soon" — use seconds (a bare number) or a unit: 250ms, 30s, 10m, 2h, 7d'],
    ['-5', '--timeout: invalid duration "-5"'],
    ['5 minutes', '--timeout: invalid duration "5 minutes"'],
    ['1w', '--timeout: invalid duration "1w"'],
    ['', '--timeout: invalid duration ""'],
    ['0', '--timeout: must be more than 0, got "0"'],
    ['0ms', '--timeout: must be more than 0, got "0ms"'],
  ])('%j is refused: %s', (value, message) =>
    expect(usage(() => parseDuration(value, '--timeout'))).toContain(message),
  );

  it('checks the range it is given, in words', () => {
    expect(usage(() => parseDuration('2h', '--timeout', { max: 3_600_000 }))).toBe(
      '--timeout: must be between 1ms and 1h, got "2h"',
    );
    expect(parseDuration('0', '--request-gap', { min: 0 })).toBe(0);
    expect(usage(() => parseDuration('1e400', 'x'))).toContain('invalid duration');
  });

  it.each([
    [0, '0s'],
    [250, '250ms'],
    [1500, '1500ms'],
    [30_000, '30s'],
    [600_000, '10m'],
    [7_200_000, '2h'],
    [604_800_000, '7d'],
  ])('formatDuration(%d) = %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});

describe('parseTolerance: seconds, 1 s to 7 days', () => {
  it.each([
    ['300', 300],
    ['10m', 600],
    ['1', 1],
    ['7d', 604_800],
    ['1000ms', 1],
  ])('%j → %d s', (value, seconds) => expect(parseTolerance(value)).toBe(seconds));

  it.each(['0', '0s', '500ms', '8d', '604801'])('%j is refused', (value) =>
    expect(usage(() => parseTolerance(value))).toMatch(/^--tolerance: must be between 1s and 7d/),
  );
});

describe('parseSince', () => {
  const now = Date.UTC(2026, 10, 26, 12);
  it.each([
    ['2h', now - 7_200_000],
    ['30', now - 30_000],
    ['7d', now - 604_800_000],
    ['2026-11-26T10:00:00Z', Date.UTC(2026, 10, 26, 10)],
    ['2026-11-25', Date.UTC(2026, 10, 25)],
  ])('%j', (value, t) => expect(parseSince(value, now)).toBe(t));
  it.each(['yesterday', '2026-13-45', ''])('%j is refused', (value) =>
    expect(usage(() => parseSince(value, now))).toMatch(/^--since: invalid time|invalid duration/),
  );
});

describe('parseSize: bare = bytes, 1024-based units', () => {
  it.each([
    ['2048', 2048],
    ['512kb', 512 * 1024],
    ['1mb', 1024 * 1024],
    ['50MiB', 50 * 1024 * 1024],
    ['1.5k', 1536],
    ['1g', 1024 ** 3],
  ])('%j → %d', (value, bytes) => expect(parseSize(value, '--max-body')).toBe(bytes));
  it.each([
    ['big', '--max-body: invalid size "big" — use bytes or a unit: 512kb, 1mb, 50mb'],
    ['0', '--max-body: must be at least 1 byte, got "0"'],
    ['1tb', '--max-body: invalid size "1tb"'],
  ])('%j: %s', (value, message) => expect(usage(() => parseSize(value, '--max-body'))).toContain(message));
});

describe('parseCount: whole numbers with a plain range', () => {
  it.each([
    ['1', 1],
    [' 20 ', 20],
    ['9007199254740991', Number.MAX_SAFE_INTEGER],
  ])('%j → %d', (value, n) => expect(parseCount(value, '--limit')).toBe(n));
  it.each([
    ['0', {}, '--limit: must be 1 or more, got 0'],
    ['101', { max: 100 }, '--limit: must be between 1 and 100, got 101'],
    ['1.5', {}, '--limit: expected a whole number, got "1.5"'],
    ['-1', {}, '--limit: expected a whole number, got "-1"'],
    ['ten', {}, '--limit: expected a whole number, got "ten"'],
    ['99999999999999999999', {}, '--limit: must be 1 or more, got 99999999999999999999'],
  ])('%j %j: %s', (value, range, message) => expect(usage(() => parseCount(value, '--limit', range))).toBe(message));

  it('never says 9007199254740991', () => {
    expect(rangeText(1, undefined)).toBe('1 or more');
    expect(rangeText(0, Number.MAX_SAFE_INTEGER)).toBe('0 or more');
    expect(rangeText(1, 100)).toBe('between 1 and 100');
  });
});

describe('parsePort and parsePositiveNumber', () => {
  it.each([
    ['0', 0],
    ['3000', 3000],
    ['65535', 65535],
  ])('port %j', (value, port) => expect(parsePort(value)).toBe(port));
  it.each([
    ['65536', '--port: must be between 0 and 65535, got 65536 — 0 picks a free port'],
    ['-1', '--port: expected a whole number, got "-1"'],
    ['http', '--port: expected a whole number, got "http"'],
    ['30.5', '--port: expected a whole number, got "30.5"'],
  ])('port %j: %s', (value, message) => expect(usage(() => parsePort(value))).toBe(message));
  it('factors', () => {
    expect(parsePositiveNumber('0.001', '--retry-scale')).toBe(0.001);
    for (const bad of ['0', '-1', 'fast', '', 'Infinity'])
      expect(usage(() => parsePositiveNumber(bad, '--retry-scale'))).toMatch(/expected a positive number/);
  });
});

describe('parseUnixSeconds', () => {
  it('accepts seconds and refuses milliseconds and junk', () => {
    expect(parseUnixSeconds('1700000000', '--timestamp')).toBe(1700000000);
    expect(parseUnixSeconds('0', '--timestamp')).toBe(0);
    expect(usage(() => parseUnixSeconds('1700000000000', '--timestamp'))).toContain('looks like milliseconds');
    for (const bad of ['-1', '1.5', 'now', '']) expect(usage(() => parseUnixSeconds(bad, '--timestamp'))).toBeTruthy();
  });
});

describe('parseHttpUrl: http(s) only; scheme-less loopback means http', () => {
  it.each([
    ['https://example.com/hooks', 'https://example.com/hooks'],
    ['http://127.0.0.1:3000', 'http://127.0.0.1:3000/'],
    ['localhost:4000', 'http://localhost:4000/'],
    ['localhost:4000/webhooks?x=1', 'http://localhost:4000/webhooks?x=1'],
    ['127.0.0.1:4000/x', 'http://127.0.0.1:4000/x'],
    ['[::1]:4000/x', 'http://[::1]:4000/x'],
    ['app.localhost:8080', 'http://app.localhost:8080/'],
    ['localhost', 'http://localhost/'],
  ])('%j → %s', (value, href) => expect(parseHttpUrl(value, '--forward-to').href).toBe(href));

  it.each([
    ['example.com/hooks', '--url: invalid url "example.com/hooks" — give a full url such as https://example.com/hooks'],
    ['not a url', '--url: invalid url "not a url" — give a full url such as https://example.com/webhooks'],
    ['ftp://example.com/x', '--url: only http and https urls are supported, got "ftp"'],
    ['file:///etc/passwd', '--url: only http and https urls are supported, got "file"'],
  ])('%j: %s', (value, message) => expect(usage(() => parseHttpUrl(value, '--url'))).toBe(message));

  it.each([
    ['localhost', true],
    ['127.0.0.2', true],
    ['[::1]', true],
    ['api.localhost', true],
    ['LOCALHOST', true],
    ['example.com', false],
    ['127.0.0.1.example.com', false],
  ])('isLoopbackHost(%j) = %s', (host, loopback) => expect(isLoopbackHost(host)).toBe(loopback));
});

describe('events: names and globs from the catalogue, with suggestions', () => {
  it.each([
    ['rendr.completed', 'unknown event "rendr.completed" — did you mean render.completed?'],
    ['render.complete', 'unknown event "render.complete" — did you mean render.completed?'],
    ['batch.compelted', 'unknown event "batch.compelted" — did you mean batch.completed?'],
    ['nothing', 'unknown event "nothing" — use one of: render.completed, render.failed, batch.completed'],
  ])('name %j: %s', (value, message) => expect(usage(() => parseEventName(value))).toContain(message));

  it('names the flag when told', () => {
    expect(usage(() => parseEventName('rendr.completed', '--event'))).toMatch(/^--event: unknown event/);
  });

  it.each([
    ['render.completed', 'render.completed'],
    ['render.*', 'render.*'],
    ['*.failed', '*.failed'],
    ['*', '*'],
    [' batch.?ailed ', 'batch.?ailed'],
  ])('pattern %j', (value, pattern) => expect(parseEventPattern(value, '--wait-for')).toBe(pattern));

  it.each([
    ['rendr.*', '--wait-for: "rendr.*" matches no event — did you mean render.*?'],
    ['*.faild', '--wait-for: "*.faild" matches no event — did you mean *.failed?'],
    ['zzz.*', '--wait-for: "zzz.*" matches no event — events are: render.completed'],
    ['render.[a]*', '--wait-for: invalid event glob "render.[a]*"'],
    ['rendr.completed', '--wait-for: unknown event "rendr.completed" — did you mean render.completed?'],
  ])('pattern %j: %s', (value, message) =>
    expect(usage(() => parseEventPattern(value, '--wait-for'))).toContain(message),
  );

  it('lists', () => {
    expect(parseEventPatterns('render.*, batch.completed', '--events')).toEqual(['render.*', 'batch.completed']);
    expect(usage(() => parseEventPatterns(' , ', '--events'))).toContain('give at least one event');
    expect(usage(() => parseEventPatterns('render.*,rendr.failed', '--events'))).toContain(
      'did you mean render.failed?',
    );
  });

  it('routes', () => {
    expect(parseRoute('render.*=localhost:4000/r')).toEqual({ pattern: 'render.*', url: 'http://localhost:4000/r' });
    expect(parseRoute('batch.failed=https://example.com/b')).toEqual({
      pattern: 'batch.failed',
      url: 'https://example.com/b',
    });
    expect(usage(() => parseRoute('render.*'))).toContain(
      '--route: invalid route "render.*": expected <event-glob>=<url>',
    );
    expect(usage(() => parseRoute('rendr.*=http://localhost:4000'))).toContain('did you mean render.*?');
    expect(usage(() => parseRoute('render.*=ftp://x'))).toContain('only http and https');
  });
});

describe('suggestions', () => {
  it('edit distance counts transpositions once', () => {
    expect(editDistance('stagin', 'staging')).toBe(1);
    expect(editDistance('bse-url', 'base-url')).toBe(1);
    expect(editDistance('compelted', 'completed')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });
  it('offers only close candidates', () => {
    expect(closest('stagin', ['default', 'staging'])).toBe('staging');
    expect(closest('prod', ['default', 'staging'])).toBeUndefined();
    expect(closest('evnt', ['--event', 'event'])).toBe('event');
  });
});
