import { describe, expect, it } from 'vitest';
import { buildSampleEvent, formatFieldErrors, validateEvent } from '../../../src/events/index.js';

const now = Date.UTC(2026, 0, 29, 10, 30);

function errorsOf(body: unknown) {
  const result = validateEvent(body);
  return result.ok ? [] : result.errors;
}

describe('validateEvent', () => {
  it('accepts a valid event and returns it typed', () => {
    const sample = buildSampleEvent('render.completed', { now });
    const result = validateEvent(sample);
    expect(result.ok).toBe(true);
    if (result.ok && result.event.event === 'render.completed') expect(result.event.data.url).toBe(sample.data.url);
  });

  it('names the bad field and its type', () => {
    const event = buildSampleEvent('render.completed', { now }) as unknown as { data: Record<string, unknown> };
    event.data.url = 42;
    expect(errorsOf(event)).toEqual([{ field: 'data.url', message: 'expected string, got number' }]);
  });

  it('reports every bad field at once', () => {
    const event = buildSampleEvent('batch.completed', { now }) as unknown as { data: Record<string, unknown> };
    event.data.totalCount = '500';
    event.data.failedCount = 1.5;
    delete event.data.batchId;
    expect(errorsOf(event)).toEqual([
      { field: 'data.batchId', message: 'missing (expected string)' },
      { field: 'data.totalCount', message: 'expected integer, got string' },
      { field: 'data.failedCount', message: 'expected integer, got number' },
    ]);
  });

  it('lets unknown extra fields through', () => {
    const event = buildSampleEvent('binding.updated', { now }) as unknown as Record<string, Record<string, unknown>>;
    event.data.somethingNew = { nested: true };
    (event as Record<string, unknown>).apiVersion = '2026-02-01';
    expect(validateEvent(event).ok).toBe(true);
  });

  it('accepts documented optional fields being absent or null', () => {
    expect(
      validateEvent({
        event: 'render.completed',
        timestamp: '2026-01-29T10:30:00Z',
        data: { type: 'gif', url: 'https://x' },
      }).ok,
    ).toBe(true);
    expect(
      validateEvent({
        event: 'render.completed',
        timestamp: '2026-01-29T10:30:00Z',
        data: { type: 'pdf', url: 'u', templateId: null, userStorageUrl: null },
      }).ok,
    ).toBe(true);
  });

  it('rejects null for a required field', () => {
    expect(
      errorsOf({ event: 'binding.failed', timestamp: '2026-01-29T10:30:00Z', data: { bindingId: 'b', error: null } }),
    ).toEqual([{ field: 'data.error', message: 'expected string, got null' }]);
  });

  it('checks the envelope', () => {
    expect(errorsOf(null)).toEqual([{ field: '(root)', message: 'expected a JSON object, got null' }]);
    expect(errorsOf([1])).toEqual([{ field: '(root)', message: 'expected a JSON object, got array' }]);
    expect(errorsOf({ timestamp: '2026-01-29T10:30:00Z', data: {} })).toEqual([
      { field: 'event', message: 'expected string, got undefined' },
    ]);
    expect(errorsOf({ event: 'render.started', timestamp: '2026-01-29T10:30:00Z', data: {} })[0]).toEqual({
      field: 'event',
      message: expect.stringContaining('unknown event "render.started"'),
    });
    expect(errorsOf({ event: 'render.failed', timestamp: 1706524200, data: { error: 'x' } })).toEqual([
      { field: 'timestamp', message: 'expected ISO 8601 date-time string, got number' },
    ]);
    expect(errorsOf({ event: 'render.failed', timestamp: 'yesterday', data: { error: 'x' } })).toEqual([
      { field: 'timestamp', message: 'expected ISO 8601 date-time string, got "yesterday"' },
    ]);
    expect(errorsOf({ event: 'render.failed', timestamp: '2026-01-29T10:30:00Z', data: 'x' })).toEqual([
      { field: 'data', message: 'expected object, got string' },
    ]);
  });

  it('checks date-time and object fields inside data', () => {
    const event = buildSampleEvent('binding.failed', { now }) as unknown as { data: Record<string, unknown> };
    event.data.nextRetry = '2026-13-45T99:00:00Z';
    expect(errorsOf(event)).toEqual([
      { field: 'data.nextRetry', message: 'expected ISO 8601 date-time string, got "2026-13-45T99:00:00Z"' },
    ]);
    const updated = buildSampleEvent('binding.updated', { now }) as unknown as { data: Record<string, unknown> };
    updated.data.newData = [1, 2];
    expect(errorsOf(updated)).toEqual([{ field: 'data.newData', message: 'expected object, got array' }]);
  });

  it('accepts the date-time shapes Pictify and JSON.stringify(Date) write', () => {
    for (const timestamp of ['2026-01-29T10:30:00Z', '2026-01-29T10:30:00.123Z', '2026-01-29T10:30:00+02:00']) {
      expect(validateEvent({ event: 'render.failed', timestamp, data: { error: 'x' } }).ok).toBe(true);
    }
  });

  it('formatFieldErrors joins errors into one line', () => {
    expect(
      formatFieldErrors([
        { field: 'data.url', message: 'expected string, got number' },
        { field: 'event', message: 'x' },
      ]),
    ).toBe('data.url: expected string, got number; event: x');
  });
});
