import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './http';
import type { RouteDeps } from './route-deps';
import type { FaultOp, RequestFault } from './types';

/** How the request-level faults answer: throttled, broken, reset or rejected. */

/** Answers a request-level fault; true when the request is done (answered or reset). */
export function answerRequestFault(
  deps: RouteDeps,
  req: IncomingMessage,
  res: ServerResponse,
  op: FaultOp,
  model: string | undefined,
): boolean {
  const fault = deps.faults.takeRequestFault(op, model);
  return fault ? answerFault(fault, req, res) : false;
}

export function answerFault(
  fault: RequestFault,
  req: IncomingMessage,
  res: ServerResponse,
): boolean {
  switch (fault.kind) {
    case 'rate-limit': {
      const seconds = fault.retryAfterSeconds ?? 1;
      sendJson(
        res,
        429,
        { detail: `Request was throttled. Your rate limit resets in ~${seconds}s.` },
        { 'retry-after': String(seconds) },
      );
      return true;
    }
    case 'server-error': {
      const status = fault.status ?? 503;
      sendJson(res, status, { detail: 'Internal server error', status });
      return true;
    }
    case 'reset-before-accept':
      req.socket.destroy();
      return true;
    case 'invalid-input':
      sendJson(res, 422, {
        detail: '- input: Input validation failed (injected invalid-input fault)',
        status: 422,
      });
      return true;
    default:
      return false;
  }
}
