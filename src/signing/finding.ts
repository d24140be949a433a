// What diagnose reports: one code per culprit, with a sentence for people.

export type FindingCode =
  | 'missing_header'
  | 'malformed_header'
  | 'missing_timestamp'
  | 'no_signatures'
  | 'header_includes_name'
  | 'foreign_scheme'
  | 'timestamp_in_milliseconds'
  | 'timestamp_too_old'
  | 'timestamp_in_future'
  | 'no_secrets'
  | 'other_secret_matches'
  | 'secret_whitespace'
  | 'secret_prefix_missing'
  | 'secret_prefix_stripped'
  | 'payload_reserialized'
  | 'payload_trailing_newline'
  | 'unexplained_mismatch';

export interface Finding {
  code: FindingCode;
  message: string;
}
