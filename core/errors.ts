import { ApplicationFailure } from '@temporalio/common';

/**
 * The one list of error codes. Activities throw them as non-retryable ApplicationFailures
 * (business failures), the workflow reads them to decide what a person must do, and the API maps
 * them to HTTP statuses. Transient problems are plain Errors that Temporal retries.
 */
export const ERROR_CODES = {
  VALIDATION_FAILED: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  INVALID_STATE: 409,
  BUDGET_EXCEEDED: 402,
  CONTENT_POLICY: 422,
  MEDIA_INVALID: 422,
  /** The product cannot be told from its background in the photo (the cutout's quality gate). */
  PRODUCT_UNCLEAR: 422,
  PROVIDER_REJECTED: 502,
  /** The model refused the input it was given (a bug or a changed schema, not the person). */
  PROVIDER_INVALID_INPUT: 422,
  /** The provider is down, overloaded, or no worker serves it; a retry later can succeed. */
  PROVIDER_UNAVAILABLE: 503,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  SERVICE_UNAVAILABLE: 503,
  /** The studio's file storage did not answer or refused a write; retried, then reported. */
  STORAGE_UNAVAILABLE: 503,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}

/** A failure a retry cannot fix: wrong input, policy rejection, budget. */
export function businessFailure(code: ErrorCode, message: string, details?: unknown) {
  return ApplicationFailure.create({
    type: code,
    message,
    nonRetryable: true,
    details: details === undefined ? [] : [details],
  });
}

/** An error raised at the API edge with a stable code and a message a person understands. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
  get status(): number {
    return ERROR_CODES[this.code];
  }
}
