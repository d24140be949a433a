// "Return 200 for unrecoverable errors" (Pictify's docs): a handler that throws acknowledge(error) gets a 200, so
// Pictify stops retrying a delivery that can never succeed, while any other throw answers 500 and is retried.

const ACKNOWLEDGED = Symbol.for('pictify-hooks.acknowledged');

export class AcknowledgedError extends Error {
  readonly [ACKNOWLEDGED] = true;
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'AcknowledgedError';
  }
}

/** Wraps an error so the handler answers 200 (not retried); `onError` still sees the original error. */
export function acknowledge(error?: unknown): AcknowledgedError {
  return new AcknowledgedError(error ?? 'acknowledged without processing');
}

/** Also true across copies of this package (a symbol from the global registry, not instanceof). */
export function isAcknowledged(error: unknown): error is AcknowledgedError {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[ACKNOWLEDGED] === true;
}
