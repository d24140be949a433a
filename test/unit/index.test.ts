import { describe, expect, it } from 'vitest';
import * as library from '../../src/index.js';
import {
  EVENT_NAMES,
  VerificationError,
  WebhookVerificationError,
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
      'verifySignature',
      'createWebhookHandler',
      'acknowledge',
      'memoryDedupe',
      'WebhookVerificationError',
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

describe("verifyWebhookSignature (drop-in for the helper in Pictify's docs)", () => {
  it('returns true for a genuine delivery', () => {
    const { body, header } = delivery('{"a":1}');
    expect(verifyWebhookSignature(body, header, SECRET, { now: NOW })).toBe(true);
    expect(verifyWebhookSignature(Buffer.from(body), [header], [SECRET], { now: NOW })).toBe(true);
  });

  it('returns false, never throws, for every bad input', () => {
    const { body, header } = delivery('{"a":1}') as { body: string; header: string };
    const v1 = header.split('v1=')[1];
    const bad: Array<[string, unknown, unknown, unknown, number?]> = [
      ['wrong secret', body, header, 'whsec_wrong'],
      ['missing header', body, undefined, SECRET],
      ['empty header', body, '', SECRET],
      ['malformed header', body, 'garbage', SECRET],
      ["short v1 (the docs' timingSafeEqual throws here)", body, `t=${NOW},v1=${v1.slice(0, 10)}`, SECRET],
      ['non-hex v1', body, `t=${NOW},v1=${'z'.repeat(64)}`, SECRET],
      ['stale', body, header, SECRET, NOW + 301],
      ['future', body, header, SECRET, NOW - 301],
      ['tampered body', `${body} `, header, SECRET],
      ['a parsed object as the body', JSON.parse(body), header, SECRET],
      ['null body', null, header, SECRET],
      ['a number as the header', body, 42, SECRET],
      ['no secret (unset env var)', body, header, undefined],
      ['empty secret', body, header, ''],
    ];
    for (const [name, payload, h, secret, now = NOW] of bad) {
      expect(verifyWebhookSignature(payload as string, h as string, secret as string, { now }), name).toBe(false);
    }
  });

  it('with no options it uses the real clock (the seed passes three arguments)', () => {
    const body = '{"a":1}';
    const fresh = signPayload({ payload: body, secret: SECRET });
    expect(verifyWebhookSignature(body, fresh, SECRET)).toBe(true);
    expect(verifyWebhookSignature(body, delivery(body).header, SECRET)).toBe(false); // signed in 2023
  });

  it('passes tolerance through, with 0 still meaning the default', () => {
    const { body, header } = delivery('{}');
    expect(verifyWebhookSignature(body, header, SECRET, { now: NOW + 1000, toleranceSeconds: 3600 })).toBe(true);
    expect(verifyWebhookSignature(body, header, SECRET, { now: NOW + 1000, toleranceSeconds: 0 })).toBe(false);
  });
});

describe('verifySignature (structured result)', () => {
  it('says which secret matched, or why it failed with a suggested status', () => {
    const { body, header } = delivery('{}', 'whsec_new');
    expect(library.verifySignature({ payload: body, header, secrets: ['whsec_old', 'whsec_new'], now: NOW })).toEqual({
      ok: true,
      timestamp: NOW,
      matchedSecretIndex: 1,
      verifiedSignatures: [header.split('v1=')[1]],
    });
    expect(library.verifySignature({ payload: body, header, secrets: SECRET, now: NOW })).toMatchObject({
      ok: false,
      reason: 'signature_mismatch',
      status: 401,
    });
  });
});

describe('WebhookVerificationError', () => {
  it('carries reason and status, no exit code or CLI wording, and is not a CLI error', async () => {
    const { body } = delivery('{}');
    const error = thrown(() => constructEvent(body, 't=1', SECRET, { now: NOW }));
    expect(error).toBeInstanceOf(WebhookVerificationError);
    expect(error).toMatchObject({ name: 'WebhookVerificationError', reason: 'no_signatures', status: 400 });
    expect(error).not.toHaveProperty('exitCode');
    expect(error).not.toHaveProperty('hint');
    const { CliError } = await import('../../src/cli/errors.js');
    expect(error).not.toBeInstanceOf(CliError);
    expect(VerificationError).toBe(WebhookVerificationError);
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

  it('invalid JSON after a valid signature is invalid_json (400), as listen says', () => {
    const { body, header } = delivery('{"event": "render.completed",');
    const error = thrown(() => constructEvent(body, header, SECRET, { now: NOW }));
    expect(error).toMatchObject({ reason: 'invalid_json', status: 400 });
    expect(error.message).toMatch(/not valid JSON/);
  });

  it('invalid UTF-8 after a valid signature is invalid_json, as listen says', () => {
    const { body, header } = delivery(Buffer.from([0x7b, 0xff, 0x7d]));
    expect(thrown(() => constructEvent(body, header, SECRET, { now: NOW })).reason).toBe('invalid_json');
  });

  it('a forged header with an old timestamp is signature_mismatch, as listen says', () => {
    const { body, header } = delivery(JSON.stringify(sample), 'whsec_forger', NOW - 1000);
    expect(thrown(() => constructEvent(body, header, SECRET, { now: NOW })).reason).toBe('signature_mismatch');
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
