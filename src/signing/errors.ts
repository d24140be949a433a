// The library's one error: data only (a reason, a suggested HTTP status), no exit code and no advice that names
// CLI flags. The CLI layer adds its own hints; a web handler answers `status`.

export type VerificationReason =
  | 'missing_header'
  | 'malformed_header'
  | 'missing_timestamp'
  | 'no_signatures'
  | 'signature_mismatch'
  | 'timestamp_too_old'
  | 'timestamp_in_future'
  | 'invalid_json'
  | 'invalid_payload';

/** 400: the request is malformed (missing or unreadable header, a body that is not a Pictify event). 401: it is
 * well formed but not authentic or not fresh. */
const STATUS: Record<VerificationReason, 400 | 401> = {
  missing_header: 400,
  malformed_header: 400,
  missing_timestamp: 400,
  no_signatures: 400,
  signature_mismatch: 401,
  timestamp_too_old: 401,
  timestamp_in_future: 401,
  invalid_json: 400,
  invalid_payload: 400,
};

/** The HTTP status a receiver should answer for `reason`. */
export function statusForReason(reason: VerificationReason): 400 | 401 {
  return STATUS[reason];
}

export class WebhookVerificationError extends Error {
  readonly reason: VerificationReason;
  /** Suggested HTTP status: 400 malformed or missing, 401 signature or timestamp. */
  readonly status: 400 | 401;
  /** The header's t (unix seconds), when it could be read. */
  readonly timestamp?: number;

  constructor(reason: VerificationReason, message: string, options: { timestamp?: number } = {}) {
    super(message);
    this.name = 'WebhookVerificationError';
    this.reason = reason;
    this.status = STATUS[reason];
    if (options.timestamp !== undefined) this.timestamp = options.timestamp;
  }
}

/** The earlier name, kept so existing `catch (e) { if (e instanceof VerificationError) … }` code keeps working. */
export const VerificationError = WebhookVerificationError;
export type VerificationError = WebhookVerificationError;
