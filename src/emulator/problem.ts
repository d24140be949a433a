// RFC 9457 problem details, the error shape Pictify documents. `code` is repeated at the top level because
// clients (ours included) read it there.

export interface ProblemFieldError {
  field: string;
  message: string;
  code: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  errors?: ProblemFieldError[];
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  405: 'Method Not Allowed',
  413: 'Content Too Large',
  422: 'Unprocessable Entity',
  500: 'Internal Server Error',
};

/** Titles name the problem type; the detail says what happened this time. */
const TITLES_BY_CODE: Record<string, string> = {
  validation_failed: 'Validation failed',
  invalid_json: 'Invalid request body',
  unauthorized: 'Authentication required',
  subscription_not_found: 'Webhook subscription not found',
  idempotency_key_reused: 'Idempotency-Key reused with a different request',
  method_not_allowed: 'Method not allowed',
};

export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly errors?: ProblemFieldError[],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
}

export function problemBody(error: ProblemError, instance: string): Problem {
  return {
    // A URN, not a URL: the emulator has no documentation pages to point at.
    type: `urn:pictify-hooks:emulator:problem:${error.code}`,
    title: TITLES_BY_CODE[error.code] ?? TITLES[error.status] ?? 'Error',
    status: error.status,
    detail: error.detail,
    instance,
    code: error.code,
    ...(error.errors && { errors: error.errors }),
  };
}

export function validationProblem(errors: ProblemFieldError[]): ProblemError {
  const detail =
    errors.length === 1 ? `${errors[0].field}: ${errors[0].message}` : `${errors.length} fields are invalid`;
  return new ProblemError(400, 'validation_failed', detail, errors);
}

export const notFound = (detail: string) => new ProblemError(404, 'not_found', detail);
