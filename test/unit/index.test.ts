import { describe, expect, it } from 'vitest';
import * as library from '../../src/index.js';
import {
  EVENT_NAMES,
  VerificationError,
  buildSampleEvent,
  computeSignature,
  constructEvent,
  parseSignatureHeader,
  signPayload,
  verifyWebhookSignature,
  type PictifyEvent,
} from '../../src/index.js';

const NOW = 1_700_000_000;
const SECRET = 'whsec_lib_secret';

function delivery(body: string | Buffer, secret: string | string[] = SECRET, timestamp = NOW) {
  return { body, header: signPayload({ payload: body, secret, timestamp }) };
}

function thrown(fn: () => unknown): VerificationError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(VerificationError);
    return error as VerificationError;
  }
  throw new Error('expected a VerificationError');
}

describe('public API', () => {
  it('exports the documented functions and constants', () => {
    for (const name of [
      'signPayload',
      'computeSignature',
      'parseSignatureHeader',
      'verifyWebhookSignature',
      'constructEvent',
      'VerificationError',
    ]) {
      expect(typeof (library as Record<string, unknown>)[name]).toBe('function');
    }
    expect(EVENT_NAMES).toHaveLength(6);
    expect(library.SIGNATURE_HEADER).toBe('X-Pictify-Signature');
    expect(library.DEFAULT_TOLERANCE_SECONDS).toBe(300);
  });

  it('signPayload/parseSignatureHeader/computeSignature agree', () => {
    const header = signPayload({ payload: '{}', secret: SECRET, timestamp: NOW });
    expect(parseSignatureHeader(header)).toEqual({ timestamp: NOW, signatures: [computeSignature(SECRET, NOW, '{}')] });
  });
});

describe('verifyWebhookSignature', () => {
  it('returns true for a genuine delivery', () => {
    const { body, header } = delivery('{"a":1}');
    expect(verifyWebhookSignature(body, header, SECRET, { now: NOW })).toBe(true);
    expect(verifyWebhookSignature(Buffer.from(body), [header], [SECRET], { now: NOW })).toBe(true);
  });

  it('throws VerificationError with a reason instead of returning false', () => {
    const { body, header } = delivery('{"a":1}');
    expect(thrown(() => verifyWebhookSignature(body, header, 'whsec_wrong', { now: NOW })).reason).toBe(
      'signature_mismatch',
    );
    expect(thrown(() => verifyWebhookSignature(body, undefined, SECRET, { now: NOW })).reason).toBe('missing_header');
    expect(thrown(() => verifyWebhookSignature(body, header, SECRET, { now: NOW + 301 })).reason).toBe(
      'timestamp_too_old',
    );
  });

  it('passes tolerance through, with 0 still meaning the default', () => {
    const { body, header } = delivery('{}');
    expect(verifyWebhookSignature(body, header, SECRET, { now: NOW + 1000, toleranceSeconds: 3600 })).toBe(true);
    expect(
      thrown(() => verifyWebhookSignature(body, header, SECRET, { now: NOW + 1000, toleranceSeconds: 0 })).reason,
    ).toBe('timestamp_too_old');
  });
});

describe('constructEvent', () => {
  const sample = buildSampleEvent('render.completed', { now: NOW * 1000, deliveryId: 'del_1' });

  it('verifies, parses and returns the typed event (happy path)', () => {
    const { body, header } = delivery(JSON.stringify(sample));
    const event: PictifyEvent = constructEvent(body, header, SECRET, { now: NOW });
    expect(event).toEqual(sample);
    if (event.event === 'render.completed') expect(event.data.url).toBe(sample.data.url);
    else expect.unreachable();
  });

  it('works on a Buffer body and with rotated secrets', () => {
    const { body, header } = delivery(Buffer.from(JSON.stringify(sample)), ['whsec_old', SECRET]);
    expect(constructEvent(body, header, ['whsec_unrelated', SECRET], { now: NOW }).event).toBe('render.completed');
  });

  it('rejects a tampered body before parsing it', () => {
    const { header } = delivery(JSON.stringify(sample));
    const tampered = JSON.stringify({ ...sample, data: { ...sample.data, url: 'https://evil.test/x.png' } });
    expect(thrown(() => constructEvent(tampered, header, SECRET, { now: NOW })).reason).toBe('signature_mismatch');
  });

  it('rejects a tampered body even when it is not JSON (verify comes first)', () => {
    const { header } = delivery(JSON.stringify(sample));
    expect(thrown(() => constructEvent('not json', header, SECRET, { now: NOW })).reason).toBe('signature_mismatch');
  });

  it('invalid JSON after a valid signature is invalid_payload', () => {
    const { body, header } = delivery('{"event": "render.completed",');
    const error = thrown(() => constructEvent(body, header, SECRET, { now: NOW }));
    expect(error.reason).toBe('invalid_payload');
    expect(error.message).toMatch(/not JSON/);
    expect(error.hint).toBeTruthy();
  });

  it('invalid UTF-8 after a valid signature is invalid_payload', () => {
    const { body, header } = delivery(Buffer.from([0x7b, 0xff, 0x7d]));
    expect(thrown(() => constructEvent(body, header, SECRET, { now: NOW })).reason).toBe('invalid_payload');
  });

  it('a signed body that fails validation is invalid_payload naming the field', () => {
    const { body, header } = delivery(JSON.stringify({ ...sample, data: { ...sample.data, url: 42 } }));
    const error = thrown(() => constructEvent(body, header, SECRET, { now: NOW }));
    expect(error.reason).toBe('invalid_payload');
    expect(error.message).toContain('data.url: expected string, got number');
  });

  it('an unknown event name is invalid_payload', () => {
    const { body, header } = delivery(JSON.stringify({ ...sample, event: 'render.started' }));
    expect(thrown(() => constructEvent(body, header, SECRET, { now: NOW })).message).toContain('unknown event');
  });

  it('handles every event in the catalogue', () => {
    for (const name of EVENT_NAMES) {
      const { body, header } = delivery(JSON.stringify(buildSampleEvent(name, { now: NOW * 1000 })));
      expect(constructEvent(body, header, SECRET, { now: NOW }).event).toBe(name);
    }
  });
});
