// A verification with its explanation: the one verify path, and on failure diagnose's findings. What `verify` prints
// and the MCP server's verify_signature answers, from the same inputs, the same way. Pure, like the rest of signing.
import { diagnose, type Finding } from './diagnose.js';
import { parseSignatureHeader } from './header.js';
import { namedForMessages, secretLabel, type SecretSource, type SourcedSecret } from './secret-source.js';
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
    knownSecrets: namedForMessages(options.known ?? []),
    now,
    toleranceSeconds,
  });
  return { valid: false, reason: result.reason, message: result.message, timestamp, findings };
}
