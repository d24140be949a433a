// A verification with its explanation: the one verify path, and on failure diagnose's findings. What `verify` prints
// and the MCP server's verify_signature answers, from the same inputs, the same way. Pure, like the rest of signing.
import { diagnose, type Finding } from './diagnose.js';
import { parseSignatureHeader } from './header.js';
import {
  namedForMessages,
  secretLabel,
  WEBHOOK_SECRET_ENV,
  type SecretSource,
  type SourcedSecret,
} from './secret-source.js';
import { verifySignature, type VerifyFailure } from './verify.js';
import type { Payload } from './compute.js';

export interface ExplainedVerdict {
  valid: boolean;
  reason?: VerifyFailure['reason'];
  message?: string;
  /** The matched secret's label (`flag`, `--secret #2`, the env var, a uid); never the secret. */
  matched?: string;
  matchedSource?: SecretSource;
  /** The header's t=, when it has a readable one. */
  timestamp: number | null;
  findings: Finding[];
}

export interface ExplainOptions {
  payload: Payload;
  header: string;
  /** The secrets to verify with. */
  secrets: readonly SourcedSecret[];
  /** Other secrets on file: a mismatch can then say whose secret the signature belongs to. */
  known?: readonly SourcedSecret[];
  /** Why `known` were not tried, when the caller knows better than the sources tell (default: the env override). */
  knownNotTriedBecause?: string;
  /** Unix seconds. */
  now: number;
  toleranceSeconds?: number;
}

export function verifyExplained(options: ExplainOptions): ExplainedVerdict {
  const { payload, header, secrets, now, toleranceSeconds } = options;
  let timestamp: number | null = null;
  try {
    timestamp = parseSignatureHeader(header).timestamp;
  } catch {
    // reported by verifySignature below, with its reason
  }
  const result = verifySignature({ payload, header, secrets: secrets.map((s) => s.secret), toleranceSeconds, now });
  if (result.ok) {
    const matchedSource = secrets[result.matchedSecretIndex]?.source;
    const matched = matchedSource && secretLabel(matchedSource);
    return { valid: true, matched, matchedSource, timestamp, findings: [] };
  }
  const findings = diagnose({
    payload,
    header,
    secrets: namedForMessages(secrets),
    knownSecrets: storedNamed(options.known ?? []),
    knownNotTriedBecause: options.knownNotTriedBecause ?? whyStoredNotTried(secrets),
    now,
    toleranceSeconds,
  });
  return { valid: false, reason: result.reason, message: result.message, timestamp, findings };
}

/** The first finding that says whose secret signed it (the one a rejection line has room for), if any. */
export function otherSecretFinding(verdict: ExplainedVerdict): Finding | undefined {
  return verdict.findings.find((f) => f.code === 'other_secret_matches');
}

/** The known secrets are the profile's: named as stored ("the stored secret of wh_1"). */
function storedNamed(known: readonly SourcedSecret[]) {
  return known.map(({ secret, source }) =>
    source?.kind === 'subscription'
      ? { secret, label: `the stored secret of ${source.uid}` }
      : namedForMessages([{ secret, source }])[0],
  );
}

/**
 * PICTIFY_WEBHOOK_SECRET, when set, replaces the profile's stored secrets — often set in the shell long ago and
 * forgotten. Said so, a signature by a stored secret explains itself.
 */
function whyStoredNotTried(secrets: readonly SourcedSecret[]): string | undefined {
  const fromEnv = secrets.length > 0 && secrets.every((s) => s.source?.kind === 'env');
  return fromEnv
    ? `${WEBHOOK_SECRET_ENV} overrides the profile (unset it to verify with the stored secrets)`
    : undefined;
}
