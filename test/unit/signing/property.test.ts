// One verify path: the same (header, body, secrets, now) gets the same verdict and reason from listen's judge, the
// `verify` command's core (verifySignature), the library (verifyWebhookSignature, constructEvent) and the web
// handler — for every generated input — and nothing that was altered is ever accepted.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  constructEvent,
  createWebhookHandler,
  verifyWebhookSignature,
  WebhookVerificationError,
} from '../../../src/index.js';
import { checkBody } from '../../../src/receiver/judge.js';
import type { CheckRules } from '../../../src/receiver/types.js';
import { parseSignatureHeader, signPayload, verifySignature } from '../../../src/signing/index.js';
import { deliveryArb, headerish, NOW_S, secretArb, type GeneratedDelivery } from './arbitraries.js';
import { subscriptionSource } from '../../../src/signing/secret-source.js';

const RUNS = { numRuns: 400, seed: 20261201 };
const junk = fc.string({ unit: 'binary', maxLength: 80 });
const payloadArb = fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 }));

function rules(secrets: string[], strict: boolean): CheckRules {
  return {
    secrets: secrets.map((secret, i) => ({ secret, source: subscriptionSource(`s${i}`) })),
    toleranceSeconds: 300,
    maxBodyBytes: 1 << 20,
    strict,
  };
}

function judge(d: GeneratedDelivery, strict: boolean): string {
  const headers = d.header === undefined ? {} : { 'x-pictify-signature': d.header };
  const outcome = checkBody(rules(d.secrets, strict), headers, d.body, d.nowS * 1000);
  if (outcome.verdict.ok) {
    expect(outcome.answer.status).toBe(200);
    return 'ok';
  }
  return outcome.verdict.reason as string;
}

function core(d: GeneratedDelivery): string {
  const result = verifySignature({ payload: d.body, header: d.header, secrets: d.secrets, now: d.nowS });
  return result.ok ? 'ok' : result.reason;
}

function library(d: GeneratedDelivery): string {
  try {
    constructEvent(d.body, d.header, d.secrets, { now: d.nowS });
    return 'ok';
  } catch (error) {
    if (error instanceof WebhookVerificationError) return error.reason;
    throw error; // anything else is a crash: the property fails loudly
  }
}

/** A web Request can carry only ByteString header values; others are not deliverable over HTTP at all. */
function webHeader(header: string | string[] | undefined): Headers | undefined {
  try {
    const headers = new Headers({ 'content-type': 'application/json' });
    if (header !== undefined) for (const h of [header].flat()) headers.append('x-pictify-signature', h);
    return headers;
  } catch {
    return undefined;
  }
}

async function web(d: GeneratedDelivery): Promise<{ status: number; reason: string } | undefined> {
  const headers = webHeader(d.header);
  if (headers === undefined) return undefined;
  const handler = createWebhookHandler({ secrets: d.secrets, on: {}, dedupe: false, now: () => d.nowS * 1000 });
  const response = await handler(
    new Request('http://127.0.0.1/hooks', { method: 'POST', headers, body: new Uint8Array(d.body) }),
  );
  const body = (await response.json()) as { error?: string };
  return { status: response.status, reason: response.status === 200 ? 'ok' : (body.error as string) };
}

describe('one verify path', () => {
  it('listen, verify, the library and the web handler agree on verdict and reason for every input', async () => {
    const seen = new Set<string>();
    let overWeb = 0;
    await fc.assert(
      fc.asyncProperty(deliveryArb, async (d) => {
        const signature = core(d);
        const full = library(d);
        seen.add(full);
        // The signature stage is decided by the same function: identical everywhere.
        if (signature !== 'ok') expect(full).toBe(signature);
        else expect(['ok', 'invalid_json', 'invalid_payload']).toContain(full);
        // listen --strict refuses what constructEvent refuses; plain listen accepts a valid JSON body that fails
        // the validator (with a warning), but nothing else.
        expect(judge(d, true)).toBe(full);
        expect(judge(d, false)).toBe(full === 'invalid_payload' ? 'ok' : full);
        expect(verifyWebhookSignature(d.body, d.header, d.secrets, { now: d.nowS })).toBe(signature === 'ok');
        const answer = await web(d);
        if (answer !== undefined) {
          overWeb += 1;
          expect(answer.reason).toBe(full);
          if (full !== 'ok') expect(answer.status).toBe(new WebhookVerificationError(full as never, '').status);
        }
      }),
      RUNS,
    );
    // The generator reaches every verdict, so agreement is shown on each (not only on easy rejections).
    for (const reason of [
      'ok',
      'missing_header',
      'malformed_header',
      'missing_timestamp',
      'no_signatures',
      'signature_mismatch',
      'timestamp_too_old',
      'timestamp_in_future',
      'invalid_json',
      'invalid_payload',
    ]) {
      expect(seen, reason).toContain(reason);
    }
    expect(overWeb).toBeGreaterThan(RUNS.numRuns / 2);
  });

  it('verifySignature never throws and never accepts random or header-shaped input', () => {
    fc.assert(
      fc.property(fc.oneof(headerish, junk), payloadArb, secretArb, (header, payload, secret) => {
        expect(verifySignature({ payload, header, secrets: secret, now: NOW_S }).ok).toBe(false);
        expect(verifyWebhookSignature(payload, header, secret, { now: NOW_S })).toBe(false);
      }),
      RUNS,
    );
  });

  it('parseSignatureHeader throws only WebhookVerificationError on any string', () => {
    fc.assert(
      fc.property(fc.oneof(headerish, junk), (header) => {
        try {
          parseSignatureHeader(header);
        } catch (error) {
          expect(error).toBeInstanceOf(WebhookVerificationError);
        }
      }),
      RUNS,
    );
  });

  it('a genuine delivery verifies, and any mutation of body, timestamp or signature is rejected', () => {
    const hexChar = fc.constantFrom(...'0123456789abcdef');
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('body' as const), at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }),
      fc.record({ kind: fc.constant('append' as const), byte: fc.integer({ min: 0, max: 255 }) }),
      fc.record({
        kind: fc.constant('timestamp' as const),
        delta: fc.integer({ min: -200, max: 200 }).filter((d) => d !== 0),
      }),
      fc.record({ kind: fc.constant('signature' as const), at: fc.nat({ max: 63 }), digit: hexChar }),
      fc.record({ kind: fc.constant('truncate' as const), keep: fc.nat({ max: 63 }) }),
    );
    fc.assert(
      fc.property(payloadArb, secretArb, fc.integer({ min: -100, max: 100 }), mutation, (payload, secret, skew, m) => {
        const t = NOW_S + skew;
        const header = signPayload({ payload, secret, timestamp: t });
        expect(verifySignature({ payload, header, secrets: secret, now: NOW_S }).ok).toBe(true);

        const bytes = Buffer.from(typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload);
        const v1 = header.slice(header.indexOf('v1=') + 3);
        let body: Uint8Array = bytes;
        let tampered = header;
        switch (m.kind) {
          case 'body':
            if (bytes.length === 0) return; // nothing to flip; 'append' covers empty bodies
            body = Buffer.from(bytes);
            body[m.at % bytes.length] ^= m.xor;
            break;
          case 'append':
            body = Buffer.concat([bytes, Buffer.from([m.byte])]);
            break;
          case 'timestamp':
            tampered = `t=${t + m.delta},v1=${v1}`;
            break;
          case 'signature':
            if (v1[m.at].toLowerCase() === m.digit) return; // not a change
            tampered = `t=${t},v1=${v1.slice(0, m.at)}${m.digit}${v1.slice(m.at + 1)}`;
            break;
          case 'truncate':
            tampered = `t=${t},v1=${v1.slice(0, m.keep)}`;
            break;
        }
        const result = verifySignature({ payload: body, header: tampered, secrets: secret, now: NOW_S });
        expect(result).toMatchObject({
          ok: false,
          reason: expect.stringMatching(/^(signature_mismatch|no_signatures)$/),
        });
      }),
      RUNS,
    );
  });
});
