import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { AppError, isErrorCode } from '../core/errors';

/**
 * Turns what Temporal says about a session's workflow into the API's errors: a rejected update
 * carries the validator's code and message; a closed or missing workflow means the session ended.
 */
export async function callWorkflow<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError) {
      const cause = error.cause;
      if (cause instanceof ApplicationFailure && isErrorCode(cause.type)) {
        throw new AppError(cause.type, cause.message);
      }
      throw new AppError('INVALID_STATE', 'The session could not take this action now.');
    }
    if (error instanceof WorkflowNotFoundError || isClosedWorkflowError(error)) {
      throw new AppError('INVALID_STATE', 'This session has ended. Start a new one to continue.');
    }
    throw error;
  }
}

function isClosedWorkflowError(error: unknown) {
  const message = error instanceof Error ? error.message : '';
  return /workflow execution already completed|already completed/i.test(message);
}
