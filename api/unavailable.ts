import { isGrpcServiceError } from '@temporalio/client';

/**
 * Whether an error means a service the API depends on (PostgreSQL, Temporal) is not answering,
 * as opposed to a bug or a bad request. Such errors become 503 SERVICE_UNAVAILABLE, so a client
 * knows to try again later instead of reporting a fault; the API itself keeps running and
 * recovers when the service returns (pools and the Temporal client reconnect on their own).
 */

/**
 * gRPC DEADLINE_EXCEEDED and UNAVAILABLE: Temporal did not answer or cannot be reached; also
 * RESOURCE_EXHAUSTED and ABORTED, its answers when it is too busy to take an update now (under
 * `npm run load`, an update whose workflow task timed out came back this way): try again later.
 */
const GRPC_DOWN = new Set([4, 8, 10, 14]);
/**
 * Prisma: cannot reach, timed out, connection closed, pool timeout, and a transaction that could
 * not start in time (every connection busy: `npm run load` starting sessions at once).
 */
const PRISMA_DOWN = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028']);
/** What @prisma/adapter-pg calls a connection that is gone. */
const ADAPTER_DOWN = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
]);
/** Sockets refused or dropped. */
const CODES_DOWN = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE']);
/**
 * FAILED_PRECONDITION "... due to Workflow Task in failed state": the session's workflow task is
 * failing and being retried (a worker too slow or restarting under it). It heals by itself, so a
 * person is told to try again, as for a busy server.
 */
const WORKFLOW_TASK_FAILING = /Workflow Task in failed state/i;
const MESSAGES_DOWN =
  /Failed to connect before the deadline|Connection terminated|timeout exceeded when trying to connect|Can't reach database server/;

/**
 * SQLSTATEs of a connection PostgreSQL ended or cannot give: class 08 (connection exception),
 * 57P01-57P05 (shut down, crashed, starting, database dropped, idle too long), 53300 (too many
 * connections). A query cut off this way worked a moment ago and will again.
 */
const SQLSTATE_DOWN = /^(08\d\d\d|57P0[1-5]|53300)$/;

interface Described {
  code?: unknown;
  name?: unknown;
  message?: unknown;
  cause?: unknown;
  meta?: {
    driverAdapterError?: { cause?: { kind?: unknown; code?: unknown; originalCode?: unknown } };
  };
}

export function isServiceDown(error: unknown): boolean {
  // Walk the cause chain: the Temporal client and Prisma wrap what the socket said.
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 6; depth++) {
    const described = e as Described;
    if (isGrpcServiceError(e) && GRPC_DOWN.has(e.code)) return true;
    if (isGrpcServiceError(e) && (e.code as number) === 9 && WORKFLOW_TASK_FAILING.test(e.details))
      return true;
    if (typeof described.code === 'string') {
      if (PRISMA_DOWN.has(described.code) || CODES_DOWN.has(described.code)) return true;
      // node-postgres' own errors carry the SQLSTATE as their code.
      if (SQLSTATE_DOWN.test(described.code)) return true;
    }
    const adapter = described.meta?.driverAdapterError?.cause;
    if (typeof adapter?.kind === 'string' && ADAPTER_DOWN.has(adapter.kind)) return true;
    // What PostgreSQL said, as @prisma/adapter-pg passes it on (e.g. 57P01 when it was killed).
    for (const sqlstate of [adapter?.code, adapter?.originalCode]) {
      if (typeof sqlstate === 'string' && SQLSTATE_DOWN.test(sqlstate)) return true;
    }
    if (described.name === 'PrismaClientInitializationError') return true;
    if (typeof described.message === 'string' && MESSAGES_DOWN.test(described.message)) {
      return true;
    }
    e = described.cause;
  }
  return false;
}
