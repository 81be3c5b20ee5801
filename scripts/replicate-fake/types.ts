/**
 * Shapes shared by the fake Replicate server's parts: what a fault rule says, what the stats
 * report, and the prediction statuses of the real API.
 */

export type Status = 'starting' | 'processing' | 'succeeded' | 'failed' | 'canceled' | 'aborted';
export const TERMINAL: ReadonlySet<Status> = new Set([
  'succeeded',
  'failed',
  'canceled',
  'aborted',
]);

export const WEBHOOK_EVENTS = ['start', 'output', 'logs', 'completed'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** Which request a fault rule applies to. */
export type FaultOp = 'create' | 'get' | 'list' | 'cancel' | 'file';

/** Faults answered on the request itself (any operation; invalid-input only on create). */
export type RequestFault =
  | { kind: 'rate-limit'; retryAfterSeconds?: number }
  | { kind: 'server-error'; status?: number }
  | { kind: 'reset-before-accept' }
  | { kind: 'reset-after-accept' }
  | { kind: 'invalid-input' };

/** Faults that change how a created prediction runs (matched on create). */
export type RunFault =
  | { kind: 'slow-start'; ms?: number }
  | { kind: 'hold' }
  | { kind: 'fail-policy'; message?: string }
  | { kind: 'fail'; message?: string }
  | { kind: 'abort' }
  | { kind: 'output-deleted' }
  | { kind: 'malformed-json' }
  | { kind: 'duplicate-webhook' };

export type FaultRule = (RequestFault | RunFault) & {
  on: FaultOp | 'any';
  /** Substring of the model's owner/name; absent = every model. */
  model?: string;
  /** How many times the rule fires before it is used up (default 1). */
  times?: number;
};

export interface FakeStats {
  predictions: Array<{
    id: string;
    model: string;
    version: string;
    status: Status;
    jobKey: string;
    input: Record<string, unknown>;
    webhook: string | null;
    createdAt: string;
    cancelRequested: boolean;
  }>;
  countsByJobKey: Record<string, number>;
  /** Status 0 = the socket was destroyed without an answer. */
  requests: Array<{ method: string; path: string; status: number }>;
  webhooksDelivered: number;
}
