import { ApplicationFailure } from '@temporalio/common';
import { businessFailure } from '../../../core/errors';
import { OUTCOME_HEADER, UNANSWERED_STATUS } from './http';

/**
 * Replicate's answers as failures Temporal understands: business failures (the model refused the
 * prompt or the input, the token is wrong) are non-retryable; anything a later try can fix
 * (throttling, an outage, a model crash) is a retryable ApplicationFailure with a truthful code.
 * Messages are for people: the model and its reason, never URLs or library text.
 */

interface ApiErrorLike {
  message: string;
  response: Response;
}

export function isApiError(error: unknown): error is ApiErrorLike {
  return (
    error instanceof Error &&
    'response' in error &&
    (error as { response?: unknown }).response instanceof Response
  );
}

/** True when a create request may or may not have reached Replicate. */
export function isAmbiguous(error: unknown): boolean {
  if (!isApiError(error)) return !(error instanceof ApplicationFailure);
  const status = error.response.status;
  const outcome = error.response.headers.get(OUTCOME_HEADER);
  return (status === UNANSWERED_STATUS && outcome === 'network') || status >= 500;
}

/** The failure of an HTTP call to Replicate (`what` says which, e.g. "the image request"). */
export function httpFailure(error: unknown, what: string, model: string): Error {
  if (!isApiError(error)) {
    return error instanceof Error ? error : new Error(`${what} failed`);
  }
  const status = error.response.status;
  const outcome = error.response.headers.get(OUTCOME_HEADER);
  if (outcome === 'rate-limited') {
    return ApplicationFailure.retryable(
      `Replicate is throttling the studio; ${what} will be tried again shortly.`,
      'RATE_LIMITED',
    );
  }
  if (outcome === 'network' || status >= 500) {
    return ApplicationFailure.retryable(
      `Replicate did not answer ${what}; it will be tried again.`,
      'PROVIDER_UNAVAILABLE',
    );
  }
  if (status === 401 || status === 403) {
    return businessFailure(
      'PROVIDER_REJECTED',
      'Replicate refused the studio’s API token. An operator must set a valid REPLICATE_API_TOKEN, then retry.',
    );
  }
  if (status === 402) {
    return businessFailure(
      'PROVIDER_REJECTED',
      'Replicate says the account has no credit left. Add credit, then retry.',
    );
  }
  if (status === 404) {
    return businessFailure(
      'PROVIDER_REJECTED',
      `Replicate does not know the model ${model}. An operator must update the model table.`,
    );
  }
  if (status === 400 || status === 422) {
    return businessFailure(
      'PROVIDER_INVALID_INPUT',
      `${model} refused its input: ${detailOf(error.message)}`,
    );
  }
  return ApplicationFailure.retryable(
    `Replicate answered ${what} with status ${status}; it will be tried again.`,
    'PROVIDER_UNAVAILABLE',
  );
}

const POLICY = /nsfw|safety|content[ _-]?polic|flagged|sensitive|inappropriate|E005/i;

/** A prediction that ended `failed`: a content-policy refusal needs a changed prompt. */
export function predictionFailure(model: string, error: unknown): ApplicationFailure {
  const reason =
    cleanText(typeof error === 'string' ? error : JSON.stringify(error ?? '')) || 'no reason given';
  if (POLICY.test(reason)) {
    return businessFailure('CONTENT_POLICY', `${model} refused the prompt: ${reason}`);
  }
  return ApplicationFailure.retryable(`${model} failed: ${reason}`, 'PROVIDER_REJECTED');
}

/** The `detail` of Replicate's JSON error body inside the client's ApiError message. */
function detailOf(message: string): string {
  const body = message.slice(message.indexOf(': ') + 2).replace(/\.$/, '');
  try {
    const parsed = JSON.parse(body) as { detail?: unknown; title?: unknown };
    const detail = parsed.detail ?? parsed.title;
    if (typeof detail === 'string') return cleanText(detail);
  } catch {
    // Not JSON: say nothing rather than echo a page.
  }
  return 'no reason given';
}

/** One line, no control characters, no URLs, at most 300 characters. */
export function cleanText(text: string): string {
  return text
    .replace(/https?:\/\/\S+/g, '')
    .replace(/[\p{Cc}\p{Cf}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 300);
}
