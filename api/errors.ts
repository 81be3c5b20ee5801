import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ZodError } from 'zod';
import { AppError, ERROR_CODES, type ErrorCode } from '../core/errors';
import type { Logger } from '../core/log';
import { isServiceDown } from './unavailable';

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

/** The one place errors become HTTP responses. */
export function createErrorHandler(log: Logger) {
  return (err: Error, c: Context) => {
    if (err instanceof AppError) {
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
      const code: ErrorCode =
        err.status === 401
          ? 'UNAUTHORIZED'
          : err.status === 404
            ? 'NOT_FOUND'
            : 'VALIDATION_FAILED';
      return c.json(errorBody(code, err.message || 'Request failed.'), err.status);
    }
    if (isServiceDown(err)) {
      log.warn('a service the API needs is not answering', { path: c.req.path, error: err });
      return c.json(
        errorBody(
          'SERVICE_UNAVAILABLE',
          'The studio is briefly unavailable. Try again in a moment.',
        ),
        ERROR_CODES.SERVICE_UNAVAILABLE,
      );
    }
    log.error('unhandled error', { path: c.req.path, error: err });
    return c.json(
      errorBody('INTERNAL', 'Something went wrong on our side. Try again in a moment.'),
      ERROR_CODES.INTERNAL,
    );
  };
}
