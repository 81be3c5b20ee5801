import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Logger } from '../core/log';
import { isStorageFault } from '../storage';

/**
 * Keeps failures truthful and free of internals: a typed failure (provider, policy, input) passes
 * as it is; anything else (a database, storage or FFmpeg fault) is logged in full and becomes a
 * retryable INTERNAL failure whose message names the step, never a path, SQL or a stack.
 */
export async function truthfully<T>(log: Logger, what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ApplicationFailure || cancelled()) throw error;
    log.warn(`${what} failed`, { error });
    if (isStorageFault(error)) {
      throw ApplicationFailure.retryable(
        `The studio's file storage did not answer while saving ${what}; it will try again.`,
        'STORAGE_UNAVAILABLE',
      );
    }
    throw ApplicationFailure.retryable(
      `The studio hit a problem of its own while making ${what}; it will try again.`,
      'INTERNAL',
    );
  }
}

function cancelled() {
  try {
    return Context.current().cancellationSignal.aborted;
  } catch {
    return false;
  }
}
