import { ApplicationFailure } from '@temporalio/common';

/**
 * The one table of error codes. Activities throw them as ApplicationFailures, the workflow reads
 * them to decide what a person must do, the API maps them to HTTP statuses and the UI to advice.
 * Transient problems are plain Errors (or retryable failures) that Temporal retries.
 *
 * `retry` says how a failure with this code is retried:
 * - `automatic`: Temporal retries the activity; once its attempts run out, a plain retry by the
 *   person may still succeed later.
 * - `person`: the same call gives the same answer, so Temporal does not retry it; a plain retry
 *   by the person (a new attempt, another seed) may succeed.
 * - `change`: nothing is retried until the person changes something (the prompt, the budget, the
 *   input).
 * - `later`: an answer of the API: the same request succeeds once the studio is less busy
 *   (its Retry-After says when); never a failed step.
 * - `none`: an answer of the API, never a failed step.
 */
export const ERRORS = {
  VALIDATION_FAILED: { status: 400, retry: 'change' },
  UNAUTHORIZED: { status: 401, retry: 'none' },
  FORBIDDEN: { status: 403, retry: 'none' },
  NOT_FOUND: { status: 404, retry: 'none' },
  INVALID_STATE: { status: 409, retry: 'none' },
  BUDGET_EXCEEDED: { status: 402, retry: 'change' },
  CONTENT_POLICY: { status: 422, retry: 'change' },
  MEDIA_INVALID: { status: 422, retry: 'person' },
  /** The product cannot be told from its background in the photo (the cutout's quality gate). */
  PRODUCT_UNCLEAR: { status: 422, retry: 'change' },
  PROVIDER_REJECTED: { status: 502, retry: 'automatic' },
  /** The model refused the input it was given (a bug or a changed schema, not the person). */
  PROVIDER_INVALID_INPUT: { status: 422, retry: 'person' },
  /** The provider is down, overloaded, or no worker serves it; a retry later can succeed. */
  PROVIDER_UNAVAILABLE: { status: 503, retry: 'automatic' },
  PAYLOAD_TOO_LARGE: { status: 413, retry: 'none' },
  RATE_LIMITED: { status: 429, retry: 'automatic' },
  SERVICE_UNAVAILABLE: { status: 503, retry: 'automatic' },
  /** More sessions are queued for the worker than the deployment allows: start one later. */
  STUDIO_BUSY: { status: 503, retry: 'later' },
  /** The studio's file storage did not answer or refused a write; retried, then reported. */
  STORAGE_UNAVAILABLE: { status: 503, retry: 'automatic' },
  INTERNAL: { status: 500, retry: 'automatic' },
} as const satisfies Record<string, { status: number; retry: ErrorRetry }>;

export type ErrorRetry = 'automatic' | 'person' | 'change' | 'later' | 'none';

/** HTTP status per code, read from the table. */
export const ERROR_CODES = Object.fromEntries(
  Object.entries(ERRORS).map(([code, { status }]) => [code, status]),
) as { [C in keyof typeof ERRORS]: (typeof ERRORS)[C]['status'] };

export type ErrorCode = keyof typeof ERRORS;

const codesWhere = (retry: (kind: ErrorRetry) => boolean) =>
  (Object.keys(ERRORS) as ErrorCode[]).filter((code) => retry(ERRORS[code].retry));

/** Failures an activity is not retried on (the same call would give the same answer). */
export const NOT_RETRIED_BY_ACTIVITIES: ErrorCode[] = codesWhere(
  (retry) => retry === 'person' || retry === 'change',
);

/** A failure a plain retry cannot fix: the person must change something first. */
export function needsChange(code: ErrorCode): boolean {
  return ERRORS[code].retry === 'change';
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERRORS, value);
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
