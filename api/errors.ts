import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ZodError } from 'zod';
import { AppError, ERROR_CODES, type ErrorCode } from '../core/errors';
import type { Logger } from '../core/log';
import { isStorageFault } from '../storage';
import { isServiceDown } from './unavailable';
import { BUSY_RETRY_AFTER_SECONDS } from './workflow-errors';

/** The JSON body of every error the API returns. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

export function errorBody(code: ErrorCode, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

export function zodIssues(error: ZodError) {
  return error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

const HTTP_REFUSALS: Partial<Record<number, { code: ErrorCode; message: string }>> = {
  400: { code: 'VALIDATION_FAILED', message: 'The request is not valid JSON or form data.' },
  401: { code: 'UNAUTHORIZED', message: 'Sign in to continue.' },
  404: { code: 'NOT_FOUND', message: 'No such endpoint.' },
  413: { code: 'PAYLOAD_TOO_LARGE', message: 'The request is too large.' },
  415: { code: 'VALIDATION_FAILED', message: 'Send the body as JSON (application/json).' },
};

/**
 * The one place errors become HTTP responses. Only AppErrors and validation failures carry
 * their own messages; anything else (a database error with its query, a library's text, a stack)
 * is logged with its detail and answered with INTERNAL and a plain sentence.
 */
export function createErrorHandler(log: Logger) {
  return (err: Error, c: Context) => {
    if (err instanceof AppError) {
      const retryAfter = (err.details as { retryAfterSeconds?: unknown } | undefined)
        ?.retryAfterSeconds;
      if (typeof retryAfter === 'number') c.header('Retry-After', String(retryAfter));
      return c.json(
        errorBody(err.code, err.message, err.details),
        err.status as ContentfulStatusCode,
      );
    }
    if (err instanceof ZodError) {
      return c.json(
        errorBody('VALIDATION_FAILED', 'The request is not valid.', zodIssues(err)),
        400,
      );
    }
    if (err instanceof HTTPException) {
      // Hono's own refusals (malformed JSON, oversized bodies...) in the API's words, never its.
      const known = HTTP_REFUSALS[err.status];
      if (known) return c.json(errorBody(known.code, known.message), ERROR_CODES[known.code]);
      // Any other refusal of the request itself is bad input, never a server error.
      if (err.status < 500) {
        return c.json(errorBody('VALIDATION_FAILED', 'The request is not valid.'), 400);
      }
    }
    if (isStorageFault(err)) {
      log.warn('the file storage is not answering', { path: c.req.path, error: err });
      return c.json(
        errorBody(
          'STORAGE_UNAVAILABLE',
          'The studio cannot reach its files right now. Try again in a moment.',
        ),
        ERROR_CODES.STORAGE_UNAVAILABLE,
      );
    }
    if (isServiceDown(err)) {
      log.warn('a service the API needs is not answering', { path: c.req.path, error: err });
      c.header('Retry-After', String(BUSY_RETRY_AFTER_SECONDS));
      return c.json(
        errorBody(
          'SERVICE_UNAVAILABLE',
          'The studio is briefly unavailable. Try again in a moment.',
        ),
        ERROR_CODES.SERVICE_UNAVAILABLE,
      );
    }
    log.error('unhandled error', { method: c.req.method, path: c.req.path, error: err });
    return c.json(
      errorBody('INTERNAL', 'Something went wrong on our side. Try again in a moment.'),
      ERROR_CODES.INTERNAL,
    );
  };
}
