import type { Context } from 'hono';
import type { ZodError } from 'zod';
import { errorBody, zodIssues } from './errors';

type ValidationResult = { success: true; data: unknown } | { success: false; error: ZodError };

/** Turns a failed zod validation at the edge into the API's error body with a stable code. */
export function validationHook(result: ValidationResult, c: Context) {
  if (result.success) return;
  const issues = zodIssues(result.error);
  const first = issues[0];
  const message = first
    ? `${first.path ? `${first.path}: ` : ''}${first.message}`
    : 'The request is not valid.';
  return c.json(errorBody('VALIDATION_FAILED', message, issues), 400);
}
