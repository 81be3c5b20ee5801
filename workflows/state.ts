import type { ErrorCode } from '../core/errors';
import { isErrorCode } from '../core/errors';
import type { AssetView, SessionOptions, SessionState } from '../core/session';
import type { Stage } from '../core/stages';
import { roundUsd } from '../core/prices';

/** Pure helpers over the workflow state (no Temporal APIs, so they are unit-testable). */

export interface SessionWorkflowInput {
  sessionId: string;
  userId: string;
  title: string;
  productPrompt: string;
  productPhotoKey?: string | undefined;
  options: SessionOptions;
  /** How long a session may wait for a person before it expires (assets are kept); 30 days. */
  idleTimeoutMs?: number | undefined;
  renderTaskQueue: string;
  /** Continue-as-new once history has this many events (Temporal also suggests it). */
  historyLimit?: number | undefined;
  /** Retry tuning; the defaults suit real providers. */
  retry?:
    | {
        initialIntervalMs?: number;
        maximumAttempts?: number;
        /** How soon a silent media activity (a killed worker) is given to another worker. */
        heartbeatTimeoutMs?: number;
      }
    | undefined;
  /** Images from the person's mood board to start with (checked as theirs by the API). */
  moodBoardImageIds?: string[] | undefined;
  /** Set when continuing as new: the state to carry on with. */
  resume?: SessionState | undefined;
}

export const DEFAULT_IDLE_TIMEOUT_MS = 30 * 24 * 3_600_000;

export function initialState(input: SessionWorkflowInput, now: string): SessionState {
  return {
    sessionId: input.sessionId,
    userId: input.userId,
    title: input.title,
    stage: 'planning_images',
    progress: { done: 0, total: 0, fraction: 0 },
    options: input.options,
    productPrompt: input.productPrompt,
    productPhotoKey: input.productPhotoKey,
    shots: [],
    images: [],
    clips: [],
    approvedImageIds: [],
    approvedClipIds: [],
    costs: { totalUsd: 0, byStage: {} },
    version: 0,
    createdAt: now,
    updatedAt: now,
  };
}

export function addCost(state: SessionState, stage: Stage, usd: number) {
  state.costs.totalUsd = roundUsd(state.costs.totalUsd + usd);
  state.costs.byStage[stage] = roundUsd((state.costs.byStage[stage] ?? 0) + usd);
}

export function pending(assets: AssetView[]) {
  return assets.filter((a) => a.status !== 'ready' && a.status !== 'replaced');
}

export function live(assets: AssetView[]) {
  return assets.filter((a) => a.status !== 'replaced');
}

/** Progress of a generation stage: how many of its live assets are ready. */
export function assetProgress(assets: AssetView[]) {
  const current = live(assets);
  const done = current.filter((a) => a.status === 'ready').length;
  return { done, total: current.length, fraction: current.length ? done / current.length : 0 };
}

/** Replaces an asset in place, keeping its position in the list. */
export function replaceAsset(list: AssetView[], updated: AssetView) {
  const index = list.findIndex((a) => a.id === updated.id);
  if (index >= 0) list[index] = updated;
  else list.push(updated);
}

/** Reads the error code a failure carries (activity failures wrap ApplicationFailures). */
export function failureCode(error: unknown): ErrorCode {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const type = (current as { type?: unknown }).type;
    if (isErrorCode(type)) return type;
    current = (current as { cause?: unknown }).cause;
  }
  // Activities type every fault they know (activities/failures.ts); what is left, such as a
  // timeout after every retry, is the studio's own problem, not the provider's or the person's.
  return 'INTERNAL';
}

/**
 * What a person is told about a failure. Only messages the studio wrote for people travel: those
 * of typed failures (their type is one of our error codes; activities/failures.ts types every
 * activity fault). Anything else (a database error with its query and source lines, an image
 * library's text, a timeout) becomes a plain sentence; the detail stays in the worker's log.
 */
export function failureMessage(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const { type, message } = current as { type?: unknown; message?: unknown };
    if (isErrorCode(type) && typeof message === 'string' && message) {
      return message;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return GENERIC_FAILURE;
}

export const GENERIC_FAILURE =
  'This step failed after several tries. Retry it; if it fails again, try again later.';

/** The innermost message of a failure, for operators' logs only (never shown to people). */
export function failureDetail(error: unknown): string {
  let current: unknown = error;
  let message = 'The step failed.';
  for (let depth = 0; current && depth < 5; depth++) {
    const text = (current as { message?: unknown }).message;
    if (typeof text === 'string' && text) message = text;
    current = (current as { cause?: unknown }).cause;
  }
  return message;
}

/** What a failed activity says its asset cost (paid providers bill some failed runs). */
export function failureCost(error: unknown): number {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const details = (current as { details?: unknown }).details;
    const first: unknown = Array.isArray(details) ? details[0] : undefined;
    const usd = (first as { assetCostUsd?: unknown } | undefined)?.assetCostUsd;
    if (typeof usd === 'number' && Number.isFinite(usd) && usd >= 0) return usd;
    current = (current as { cause?: unknown }).cause;
  }
  return 0;
}
