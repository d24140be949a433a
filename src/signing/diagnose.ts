import { anySignatureMatches } from './compare.js';
import type { Payload } from './compute.js';
import { SIGNATURE_HEADER } from './constants.js';
import { payloadFindings, secretFindings, type Labelled } from './diagnose-variants.js';
import { describeForeignHeaderName, describeForeignValue, splitHeaderLine } from './foreign-scheme.js';
import { isHeaderFailure, joinHeader, readSignatureHeader } from './header.js';
import type { ParsedSignatureHeader } from './header.js';
import { effectiveNow, effectiveTolerance, formatPastLimit } from './tolerance.js';
import type { Finding } from './finding.js';

export type { Finding, FindingCode } from './finding.js';

// Explains a failed verification in human terms by trying the usual culprits: a stray space in the secret, a
// stripped whsec_ prefix, a body re-serialized by a JSON parser, the wrong secret, a stale or skewed clock, a
// header from another provider. Pure: the same inputs always give the same findings.

export interface SecretCandidate {
  secret: string;
  /** How to name it in messages (e.g. a subscription uid). Secrets themselves are never printed. */
  label?: string;
}

export interface DiagnoseOptions {
  payload: Payload;
  header: string | readonly string[] | null | undefined;
  /** The secrets the verification used. */
  secrets: readonly SecretCandidate[];
  /** Other secrets on file (e.g. other subscriptions); only used to say which one the signature belongs to. */
  knownSecrets?: readonly SecretCandidate[];
  /**
   * Why the known secrets were not tried (e.g. "PICTIFY_WEBHOOK_SECRET overrides the profile's stored secrets"):
   * a signature one of them makes is then explained by that, not by "verify with that one".
   */
  knownNotTriedBecause?: string;
  /** Unix seconds; defaults to the real clock. */
  now?: number;
  toleranceSeconds?: number;
}

function labelled(list: readonly SecretCandidate[] | undefined, fallback: string): Labelled[] {
  return (list ?? [])
    .filter((c) => typeof c.secret === 'string' && c.secret.length > 0)
    .map((c, i) => ({ secret: c.secret, label: c.label ?? `${fallback} #${i + 1}` }));
}

/** Returns what is wrong, most fundamental first; an empty array means the delivery verifies. */
export function diagnose(options: DiagnoseOptions): Finding[] {
  const findings: Finding[] = [];
  const given = labelled(options.secrets, 'secret');
  const known = labelled(options.knownSecrets, 'known secret');
  const raw = joinHeader(options.header);

  let value = raw;
  if (typeof raw === 'string') {
    const line = splitHeaderLine(raw);
    if (line.name !== undefined) {
      value = line.value;
      const foreign = describeForeignHeaderName(line.name);
      findings.push(
        foreign
          ? { code: 'foreign_scheme', message: foreign }
          : {
              code: 'header_includes_name',
              message: `The header value includes its name; pass only what follows "${line.name}:"`,
            },
      );
    }
  }

  const parsed = readSignatureHeader(value);
  if (isHeaderFailure(parsed)) {
    findings.push({ code: parsed.reason, message: parsed.message });
    const foreign =
      typeof value === 'string'
        ? describeForeignValue(
            value,
            [...given, ...known].map((s) => s.secret),
            options.payload,
          )
        : undefined;
    if (foreign) findings.push({ code: 'foreign_scheme', message: foreign });
    return findings;
  }

  findings.push(...timestampFindings(parsed.timestamp, options));
  findings.push(...signatureFindings(parsed, options.payload, given, known, options.knownNotTriedBecause));
  return findings;
}

function timestampFindings(timestamp: number, options: DiagnoseOptions): Finding[] {
  const findings: Finding[] = [];
  if (timestamp > 1e11) {
    findings.push({
      code: 'timestamp_in_milliseconds',
      message: `t=${timestamp} looks like milliseconds; Pictify sends unix seconds`,
    });
  }
  const tolerance = effectiveTolerance(options.toleranceSeconds);
  const age = effectiveNow(options.now) - timestamp;
  if (age > tolerance) {
    const past = formatPastLimit(age, tolerance);
    findings.push({
      code: 'timestamp_too_old',
      message:
        `Signed ${past.age} ago, ${past.excess} past the ${past.limit} limit: ` +
        'a replay, a long retry queue or a slow clock',
    });
  } else if (-age > tolerance) {
    const past = formatPastLimit(-age, tolerance);
    findings.push({
      code: 'timestamp_in_future',
      message:
        `The timestamp is ${past.age} in the future, ${past.excess} past the ${past.limit} limit: ` +
        'one of the two clocks is wrong',
    });
  }
  return findings;
}

function signatureFindings(
  parsed: ParsedSignatureHeader,
  payload: Payload,
  given: Labelled[],
  known: Labelled[],
  knownNotTriedBecause: string | undefined,
): Finding[] {
  const { timestamp, signatures } = parsed;
  const matches = (secret: string, body: Payload = payload): boolean =>
    secret.length > 0 && anySignatureMatches(signatures, secret, timestamp, body);

  if (given.length === 0) {
    const other = known.find((k) => matches(k.secret));
    // Nothing verifying, for a known reason (listen's secrets all belong to another API): that reason is the answer.
    if (other && knownNotTriedBecause) {
      return [
        { code: 'other_secret_matches', message: `The signature matches ${other.label}; ${knownNotTriedBecause}` },
      ];
    }
    const tail = other ? `; the signature matches ${other.label}` : '';
    return [{ code: 'no_secrets', message: `No secret was given to verify with${tail}` }];
  }
  if (given.some((g) => matches(g.secret))) return [];
  const other = known.find((k) => matches(k.secret));
  if (other) {
    return [
      {
        code: 'other_secret_matches',
        message: knownNotTriedBecause
          ? `The signature matches ${other.label}; ${knownNotTriedBecause}`
          : `The signature matches ${other.label}, not the secret given: verify with that one`,
      },
    ];
  }

  const findings: Finding[] = [];
  for (const candidate of [...given, ...known]) findings.push(...secretFindings(candidate, matches));
  findings.push(...payloadFindings(payload, [...given, ...known], matches));
  if (findings.length === 0) {
    findings.push({
      code: 'unexplained_mismatch',
      message:
        `No v1 in ${SIGNATURE_HEADER} matches the body with any secret, nor with the usual variations (trimmed or ` +
        're-prefixed secret, re-serialized body): the body was changed in transit or the secret belongs to ' +
        'another subscription',
    });
  }
  return findings;
}
