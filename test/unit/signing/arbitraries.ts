// Generated deliveries for the one-verify-path properties and the adversarial suite: headers and bodies from
// correct to hostile, several secrets, and a clock around the signature's time.
import fc from 'fast-check';
import { buildSampleEvent, EVENT_NAMES } from '../../../src/events/index.js';
import { computeSignature, signPayload } from '../../../src/signing/index.js';

export const NOW_S = 1_700_000_000;

const hexChar = fc.constantFrom(...'0123456789abcdefABCDEF');
export const hex64 = fc.string({ unit: hexChar, minLength: 64, maxLength: 64 });
const junk = fc.string({ unit: 'binary', maxLength: 80 });
const nasty = fc.constantFrom(
  '',
  ' ',
  ',',
  '=',
  't=',
  'v1=',
  '\r\n',
  '\u0000',
  '\u001b[2J',
  '\u202e',
  '１２３',
  '字',
  'NaN',
  'Infinity',
  '-0',
  '1e3',
  '0x10',
  '9'.repeat(16),
  'constructor',
  '__proto__',
);

export const secretArb = fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }).map((s) => `whsec_${s}`);

/** Bodies: genuine events, events with one bad field, JSON that is no event, arbitrary text, non-UTF-8 bytes. */
export const bodyArb: fc.Arbitrary<Buffer> = fc.oneof(
  fc
    .constantFrom(...EVENT_NAMES)
    .map((name) => Buffer.from(JSON.stringify(buildSampleEvent(name, { now: NOW_S * 1000, deliveryId: 'del_f' })))),
  fc
    .constantFrom(...EVENT_NAMES)
    .map((name) => Buffer.from(JSON.stringify({ ...buildSampleEvent(name, { now: NOW_S * 1000 }), data: 7 }))),
  fc.json().map((j) => Buffer.from(j)),
  fc.string({ unit: 'grapheme', maxLength: 60 }).map((s) => Buffer.from(s)),
  fc.uint8Array({ maxLength: 120 }).map((b) => Buffer.from(b)),
  fc.constantFrom(
    Buffer.from([0x7b, 0xff, 0x7d]),
    Buffer.from('{"event":"render.completed","x":"\xff"}', 'latin1'),
    Buffer.from('\uFEFF{}'),
    Buffer.from('{"a":"é字😀"}\r\n'),
  ),
);

/** How the header relates to the body: signed by a known secret, by a foreign one, or junk. */
export const headerFor = (body: Buffer, secrets: readonly string[]) =>
  fc.oneof(
    // Correct, at a time around now (inside and outside the window).
    fc
      .tuple(fc.nat({ max: Math.max(0, secrets.length - 1) }), fc.integer({ min: -400, max: 400 }))
      .map(([i, skew]) => signPayload({ payload: body, secret: secrets[i], timestamp: NOW_S + skew })),
    // Forged: a secret nobody configured, any age.
    fc
      .tuple(secretArb, fc.integer({ min: -5000, max: 5000 }))
      .map(([secret, skew]) => signPayload({ payload: body, secret, timestamp: NOW_S + skew })),
    // Correct, then bent: case, spacing, order, extra schemes, a second copy, a truncated or widened v1.
    fc
      .tuple(
        fc.integer({ min: -400, max: 400 }),
        fc.constantFrom('upper', 'spaces', 'reorder', 'extra', 'twice', 'truncate', 'widen', 'cjk', 'fullwidth'),
      )
      .map(([skew, bend]) => {
        const t = NOW_S + skew;
        const v1 = computeSignature(secrets[0], t, body);
        switch (bend) {
          case 'upper':
            return `t=${t},v1=${v1.toUpperCase()}`;
          case 'spaces':
            return ` t = ${t} , v1 = ${v1} `;
          case 'reorder':
            return `v1=${v1},t=${t}`;
          case 'extra':
            return `v0=zz,t=${t},v2=${v1},v1=${v1}`;
          case 'twice':
            return `t=${t},v1=${'0'.repeat(64)},v1=${v1}`;
          case 'truncate':
            return `t=${t},v1=${v1.slice(0, 63)}`;
          case 'widen':
            return `t=${t},v1=${v1}0`;
          case 'cjk':
            return `t=${t},v1=${[...v1].map((c) => String.fromCharCode(0x4e00 | c.charCodeAt(0))).join('')}`;
          default:
            return `t=${t},v1=${[...v1].map((c) => String.fromCharCode(0xff00 | c.charCodeAt(0))).join('')}`;
        }
      }),
    headerish,
    junk,
  );

/** Header-shaped input: plausible parts mixed with junk, joined by plausible separators. */
export const headerish = fc
  .tuple(
    fc.array(
      fc.oneof(
        fc.integer({ min: 0, max: 2 * NOW_S }).map((t) => `t=${t}`),
        fc.oneof(junk, nasty).map((v) => `t=${v}`),
        hex64.map((h) => `v1=${h}`),
        fc.oneof(junk, nasty).map((v) => `v1=${v}`),
        junk.map((v) => `v0=${v}`),
        fc.tuple(fc.string({ maxLength: 5 }), junk).map(([k, v]) => `${k}=${v}`),
        junk,
        nasty,
      ),
      { maxLength: 6 },
    ),
    fc.constantFrom(',', ', ', ' , ', ',,', ';'),
  )
  .map(([parts, sep]) => parts.join(sep));

export interface GeneratedDelivery {
  body: Buffer;
  header: string | string[] | undefined;
  secrets: string[];
  nowS: number;
}

/** (header, body, secrets, now) as a receiver sees them; now moves a little so tolerance edges are hit. */
export const deliveryArb: fc.Arbitrary<GeneratedDelivery> = fc
  .tuple(bodyArb, fc.array(secretArb, { minLength: 1, maxLength: 3 }))
  .chain(([body, secrets]) =>
    fc.record({
      body: fc.constant(body),
      secrets: fc.constant(secrets),
      header: fc.oneof(
        { weight: 8, arbitrary: headerFor(body, secrets) },
        { weight: 1, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: headerFor(body, secrets).map((h) => h.split(',')) },
      ),
      nowS: fc.oneof(fc.constant(NOW_S), fc.integer({ min: NOW_S - 2, max: NOW_S + 2 })),
    }),
  );
