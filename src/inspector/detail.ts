// The detail of one delivery as the page shows it: headers (as the store redacted them), the body raw and pretty,
// the signature panel (t, every v1, clock skew, which secret's *label* matched, diagnose's findings) and the
// forward result. Pure: secrets go in, only labels and findings come out.
import { diagnose, parseSignatureHeader, VerificationError, type Finding } from '../signing/index.js';
import { joinHeader } from '../signing/header.js';
import { namedForMessages, type SourcedSecret } from '../signing/secret-source.js';
import {
  recordSummary,
  redactHeaders,
  type EventRecord,
  type ForwardRecord,
  type ReplayOrigin,
  type Verdict,
} from '../store/event-store-record.js';
import { verdictKind, type VerdictKind } from './summary.js';
import { jsonText, printable } from '../text/printable.js';

export interface SignaturePanel {
  /** The X-Pictify-Signature value as received, or null when there was none. */
  header: string | null;
  timestamp?: number;
  signatures: string[];
  /** Seconds the signature's t was behind (positive) or ahead of (negative) the moment it was received. */
  skewSeconds?: number;
  /** The label of the secret that verified it (a subscription uid, `flag`, the env var): never the secret. */
  matchedLabel?: string;
  reason?: string;
  message?: string;
  /** Why it failed, from diagnose (whitespace in the secret, re-serialised body, other secret, skew …). */
  findings: Finding[];
  /** diagnose could not run: the body was not kept, or no secret is known to this inspector. */
  diagnosisUnavailable?: string;
}

export interface DeliveryDetail {
  id: string;
  receivedAt: string;
  method: string;
  path: string;
  remoteAddress: string | null;
  status: number;
  event: string | null;
  deliveryId: string | null;
  kind: VerdictKind;
  verdict: Verdict;
  headers: Array<[string, string]>;
  body: {
    encoding: 'utf8' | 'base64';
    /** Byte-exact: the UTF-8 text, or base64 of the bytes. */
    raw: string;
    /**
     * `raw` as the page shows it: control and bidi characters as visible escapes (`\u202e`, `\x1b`), the way the
     * terminal shows them, so a right-to-left override cannot reorder what is read. Newlines and tabs stay.
     */
    visible: string;
    bytes: number;
    omitted: boolean;
    /** Indented JSON when the body is JSON, its control and bidi characters as `\u` escapes (still valid JSON). */
    pretty?: string;
  };
  signature: SignaturePanel;
  forward: ForwardRecord | null;
  replay?: ReplayOrigin;
  /** The previous delivery of the same event type, for "diff". */
  previousId?: string;
}

export interface DiagnoseSecrets {
  /** The secrets the receiver verifies with. */
  verifying: readonly SourcedSecret[];
  /** Every secret on file (other subscriptions): lets diagnose say "this was signed with sub_x's secret". */
  known: readonly SourcedSecret[];
  toleranceSeconds?: number;
}

const SIGNATURE_REASONS = new Set([
  'missing_header',
  'malformed_header',
  'missing_timestamp',
  'no_signatures',
  'timestamp_too_old',
  'timestamp_in_future',
  'signature_mismatch',
]);

export function headerList(headers: EventRecord['headers']): Array<[string, string]> {
  // Redacted again on the way out: a store written by an older listen may predate the redaction.
  return Object.entries(redactHeaders(headers)).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v]);
}

export function prettyBody(record: Pick<EventRecord, 'body' | 'bodyEncoding'>): string | undefined {
  if (record.bodyEncoding !== 'utf8' || record.body.trim() === '') return undefined;
  try {
    return jsonText(JSON.parse(record.body), 2);
  } catch {
    return undefined;
  }
}

export function signaturePanel(record: EventRecord, secrets: DiagnoseSecrets): SignaturePanel {
  const header = joinHeader(record.headers['x-pictify-signature']) ?? null;
  const panel: SignaturePanel = {
    header,
    signatures: [],
    findings: [],
    reason: record.verdict.ok ? undefined : record.verdict.reason,
    message: record.verdict.ok ? undefined : record.verdict.message,
    matchedLabel: record.verdict.matchedLabel,
  };
  const receivedSeconds = Math.floor(Date.parse(record.receivedAt) / 1000);
  try {
    const parsed = parseSignatureHeader(header);
    panel.timestamp = parsed.timestamp;
    panel.signatures = parsed.signatures;
    if (Number.isFinite(receivedSeconds)) panel.skewSeconds = receivedSeconds - parsed.timestamp;
  } catch (error) {
    if (!(error instanceof VerificationError)) throw error;
  }
  if (record.verdict.ok || !SIGNATURE_REASONS.has(record.verdict.reason ?? '')) return panel;
  if (record.bodyOmitted) {
    panel.diagnosisUnavailable = 'the body was not kept, so the signature cannot be re-checked';
    return panel;
  }
  if (secrets.verifying.length === 0 && secrets.known.length === 0) {
    panel.diagnosisUnavailable =
      'no secret is known to this inspector (pass --secret or store the subscription secret)';
  }
  // Judged as of the moment it arrived: a delivery that was on time then must not read "too old" today.
  panel.findings = diagnose({
    payload: Buffer.from(record.body, record.bodyEncoding === 'base64' ? 'base64' : 'utf8'),
    header: record.headers['x-pictify-signature'],
    secrets: namedForMessages(secrets.verifying),
    knownSecrets: namedForMessages(secrets.known),
    now: Number.isFinite(receivedSeconds) ? receivedSeconds : undefined,
    toleranceSeconds: secrets.toleranceSeconds,
  });
  return panel;
}

export function deliveryDetail(record: EventRecord, secrets: DiagnoseSecrets, previous?: EventRecord): DeliveryDetail {
  const detail: DeliveryDetail = {
    // The listing fields (and `forward`, `replay`) as listen --json and events list --json give them.
    ...recordSummary(record, undefined),
    kind: verdictKind(record),
    headers: headerList(record.headers),
    body: {
      encoding: record.bodyEncoding,
      raw: record.body,
      visible: printable(record.body, { keepNewlines: true }),
      bytes: record.bodyBytes,
      omitted: Boolean(record.bodyOmitted),
      pretty: prettyBody(record),
    },
    signature: signaturePanel(record, secrets),
  };
  if (previous) detail.previousId = previous.id;
  return detail;
}
