import { payloadBytes, type Payload } from './compute.js';
import { SECRET_PREFIX } from './constants.js';
import type { Finding } from './finding.js';

// The usual ways a correct signature stops matching: the secret picked up whitespace or lost (or gained) its
// whsec_ prefix, or the body was re-serialized or gained/lost a trailing newline. Each is tried and named.

export interface Labelled {
  secret: string;
  label: string;
}

type Matches = (secret: string, body?: Payload) => boolean;

export function secretFindings(candidate: Labelled, matches: Matches): Finding[] {
  const findings: Finding[] = [];
  const trimmed = candidate.secret.trim();
  if (trimmed !== candidate.secret && matches(trimmed)) {
    findings.push({
      code: 'secret_whitespace',
      message:
        `${candidate.label} has surrounding whitespace (a trailing newline from a file or copy-paste?); ` +
        `trimmed, it matches`,
    });
  }
  if (!trimmed.startsWith(SECRET_PREFIX) && matches(SECRET_PREFIX + trimmed)) {
    findings.push({
      code: 'secret_prefix_missing',
      message:
        `${candidate.label} lacks the ${SECRET_PREFIX} prefix; the prefix is part of the key, and with ` +
        `it the signature matches`,
    });
  }
  if (trimmed.startsWith(SECRET_PREFIX) && matches(trimmed.slice(SECRET_PREFIX.length))) {
    findings.push({
      code: 'secret_prefix_stripped',
      message:
        `The sender signed with ${candidate.label} minus its ${SECRET_PREFIX} prefix; Pictify signs with ` +
        `the whole secret`,
    });
  }
  return findings;
}

function decodeUtf8(payload: Payload): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(payloadBytes(payload));
  } catch {
    return undefined;
  }
}

export function payloadFindings(payload: Payload, secrets: Labelled[], matches: Matches): Finding[] {
  const text = decodeUtf8(payload);
  if (text === undefined) return [];
  const signedWith = (body: string): boolean => body !== text && secrets.some((s) => matches(s.secret, body));
  // The narrowest explanation first: a trailing newline also makes the body differ from its re-serialization.
  const endsWithNewline = /\r?\n$/.test(text);
  if (signedWith(endsWithNewline ? text.replace(/\r?\n$/, '') : `${text}\n`)) {
    return [
      {
        code: 'payload_trailing_newline',
        message: endsWithNewline
          ? 'The signature matches this body without its trailing newline: an editor or shell added it'
          : 'The signature matches this body plus a trailing newline: the signed file ended with one',
      },
    ];
  }

  const findings: Finding[] = [];
  let parsed: unknown;
  let isJson = true;
  try {
    parsed = JSON.parse(text);
  } catch {
    isJson = false;
  }
  if (isJson) {
    if (signedWith(JSON.stringify(parsed))) {
      findings.push({
        code: 'payload_reserialized',
        message:
          'The signature matches the compact JSON form of this body: it was signed compact and re-serialized ' +
          '(e.g. pretty-printed) before verifying. Verify the raw bytes as received, before any JSON parser',
      });
    } else if (signedWith(JSON.stringify(parsed, null, 2))) {
      findings.push({
        code: 'payload_reserialized',
        message:
          'The signature matches the 2-space-indented JSON form of this body: it was signed pretty-printed and ' +
          're-serialized (compacted) before verifying. Verify the raw bytes as received, before any JSON parser',
      });
    }
  }
  return findings;
}
