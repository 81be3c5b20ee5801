import {
  ServiceError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { AppError, isErrorCode } from '../core/errors';
import { isServiceDown } from './unavailable';

/** What a person is told to wait before trying again when the studio is too busy to answer. */
export const BUSY_RETRY_AFTER_SECONDS = 10;
const PAUSE_BEFORE_RETRY_MS = 500;

/**
 * Turns what Temporal says about a session's workflow into the API's errors: a rejected update
 * carries the validator's code and message; a closed or missing workflow means the session ended.
 *
 * A workflow that cannot take the call now (its worker is busy: the update or query timed out,
 * Temporal is overloaded or its workflow task is being retried) is a queue, not a fault: the
 * call is tried `attempts` times in all, then answered 503 SERVICE_UNAVAILABLE with Retry-After,
 * never 500. An update tried again must carry the same `updateId`, so it is taken at most once.
 */
export async function callWorkflow<T>(
  run: () => Promise<T>,
  options: { attempts?: number } = {},
): Promise<T> {
  const attempts = options.attempts ?? 1;
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (!isBusy(error)) throw answerFor(error);
      if (attempt >= attempts) throw busy();
      await new Promise((resolve) => setTimeout(resolve, PAUSE_BEFORE_RETRY_MS * attempt));
    }
  }
}

function answerFor(error: unknown) {
  if (error instanceof WorkflowUpdateFailedError) {
    const cause = error.cause;
    if (cause instanceof ApplicationFailure && isErrorCode(cause.type)) {
      return new AppError(cause.type, cause.message);
    }
    return new AppError('INVALID_STATE', 'The session could not take this action now.');
  }
  if (error instanceof WorkflowNotFoundError || isClosedWorkflowError(error)) {
    return new AppError('INVALID_STATE', 'This session has ended. Start a new one to continue.');
  }
  return error;
}

/** Temporal could not give an answer now; any other gRPC failure of the client is one too. */
function isBusy(error: unknown) {
  if (error instanceof WorkflowNotFoundError || isClosedWorkflowError(error)) return false;
  return (
    error instanceof WorkflowUpdateRPCTimeoutOrCancelledError ||
    error instanceof ServiceError ||
    isServiceDown(error)
  );
}

export function busy() {
  return new AppError(
    'SERVICE_UNAVAILABLE',
    `The studio is busy and could not take this just now. Try again in ${BUSY_RETRY_AFTER_SECONDS} seconds.`,
    { retryAfterSeconds: BUSY_RETRY_AFTER_SECONDS },
  );
}

function isClosedWorkflowError(error: unknown) {
  const message = error instanceof Error ? error.message : '';
  return /workflow execution already completed|already completed/i.test(message);
}
