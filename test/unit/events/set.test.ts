import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.js';
import {
  applySet,
  buildSampleEvent,
  parseSetArgument,
  parseSetValue,
  validateEvent,
} from '../../../src/events/index.js';

describe('parseSetValue', () => {
  it.each([
    ['"tmpl_1"', 'tmpl_1'],
    ['tmpl_1', 'tmpl_1'],
    ['42', 42],
    ['-1.5', -1.5],
    ['true', true],
    ['false', false],
    ['null', null],
    ['{"a":[1,"b"]}', { a: [1, 'b'] }],
    ['[1,2]', [1, 2]],
    ['', ''],
    ['hello world', 'hello world'],
    ['{not json', '{not json'],
    ['https://x.test/a?b=c', 'https://x.test/a?b=c'],
  ])('%s → %j', (raw, value) => {
    expect(parseSetValue(raw)).toEqual(value);
  });
});

describe('applySet', () => {
  it('sets a quoted and an unquoted string', () => {
    const event = buildSampleEvent('render.completed');
    applySet(event, 'data.templateId', '"tmpl_1"');
    expect(event.data.templateId).toBe('tmpl_1');
    applySet(event, 'data.templateId', 'tmpl_2');
    expect(event.data.templateId).toBe('tmpl_2');
  });

  it('sets numbers, booleans and objects as JSON', () => {
    const event = buildSampleEvent('render.completed');
    applySet(event, 'data.width', '42');
    applySet(event, 'data.flag', 'true');
    applySet(event, 'data.variables', '{"title":"Hi","n":1}');
    expect(event.data).toMatchObject({ width: 42, flag: true, variables: { title: 'Hi', n: 1 } });
    expect(validateEvent(event).ok).toBe(true);
  });

  it('creates missing intermediate objects', () => {
    const target: Record<string, unknown> = {};
    applySet(target, 'data.variables.title', 'x');
    expect(target).toEqual({ data: { variables: { title: 'x' } } });
  });

  it('indexes arrays with numbers', () => {
    const target = { list: [{ a: 1 }, { a: 2 }] };
    applySet(target, 'list.1.a', '3');
    expect(target.list).toEqual([{ a: 1 }, { a: 3 }]);
    expect(() => applySet(target, 'list.x', '1')).toThrow(InputError);
  });

  it('returns the same object it mutated', () => {
    const target = {};
    expect(applySet(target, 'a', '1')).toBe(target);
  });

  it('lets a set break validation, naming the field (for testing receivers)', () => {
    const event = applySet(buildSampleEvent('render.completed'), 'data.url', '42');
    expect(validateEvent(event)).toEqual({
      ok: false,
      errors: [{ field: 'data.url', message: 'expected string, got number' }],
    });
  });

  it('refuses to descend into a non-object', () => {
    const event = buildSampleEvent('render.completed');
    expect(() => applySet(event, 'data.url.host', 'x')).toThrow(/data\.url" is a string/);
  });

  it.each(['', 'data.', '.data', 'data..url', '__proto__.polluted', 'data.constructor.prototype.x'])(
    'rejects the path "%s" with a InputError',
    (path) => {
      expect(() => applySet({ data: {} }, path, '1')).toThrow(InputError);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
  );
});

describe('parseSetArgument', () => {
  it('splits at the first =', () => {
    expect(parseSetArgument('data.url=https://x.test/?a=b')).toEqual({ path: 'data.url', raw: 'https://x.test/?a=b' });
    expect(parseSetArgument('data.error=')).toEqual({ path: 'data.error', raw: '' });
  });
  it('rejects an argument without path=', () => {
    expect(() => parseSetArgument('data.url')).toThrow(InputError);
    expect(() => parseSetArgument('=x')).toThrow(InputError);
  });
});
