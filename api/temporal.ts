import {
  Client,
  Connection,
  defaultGrpcRetryOptions,
  isGrpcServiceError,
  makeGrpcRetryInterceptor,
} from '@temporalio/client';
import { temporalWatchdog } from './temporal-watchdog';

/**
 * A Temporal client that connects on first use and reconnects after a failed attempt, so the API
 * answers (and reports "not ready") while Temporal is still starting.
 *
 * A person is waiting on every call, so Temporal being down must show within a second (a 503,
 * see unavailable.ts), not after the SDK's default ten retries over many seconds: the connect
 * times out after 800 ms and a call is tried three times within about half a second. A Temporal
 * that is reachable but frozen is caught by the watchdog (temporal-watchdog.ts): a call left
 * unanswered for half a second asks the server's health service, and ends when two such probes
 * in a row get no answer within 700 ms (about two seconds in all). Every call has a deadline. Once Temporal is back, the next call
 * connects or the channel reconnects by itself.
 */
const CONNECT_TIMEOUT_MS = 800;
const CALL_ATTEMPTS = 3;
const PROBE_AFTER_MS = 500;
const PROBE_TIMEOUT_MS = 700;
/** CANCELLED, DEADLINE_EXCEEDED, UNAVAILABLE: the probe got no answer. */
const SILENT = new Set([1, 4, 14]);
/** Long enough for an update that waits for a busy worker; a call past it is worth a retry. */
const CALL_DEADLINE_MS = 30_000;

export function lazyTemporalClient(options: { address: string; namespace: string }) {
  let pending: Promise<Client> | undefined;
  const get = () => {
    pending ??= connect(options).catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
  const close = async () => {
    const current = pending;
    pending = undefined;
    if (current) await current.then((c) => c.connection.close()).catch(() => undefined);
  };
  return { get, close };
}

async function connect(options: { address: string; namespace: string }) {
  // The watchdog's probe asks the connection it guards, which exists once connected.
  const guarded: { connection?: Connection } = {};
  const probe = async () => {
    const live = guarded.connection;
    if (!live) return;
    try {
      await live.withDeadline(Date.now() + PROBE_TIMEOUT_MS, () => live.healthService.check({}));
    } catch (error) {
      // Any answer means the server is alive; only silence (or no connection) means it is not.
      if (!isGrpcServiceError(error) || SILENT.has(error.code)) throw error;
    }
  };
  guarded.connection = await Connection.connect({
    address: options.address,
    connectTimeout: CONNECT_TIMEOUT_MS,
    interceptors: [
      // Outermost, so one watchdog covers a call and its retries.
      temporalWatchdog({ probe, probeAfterMs: PROBE_AFTER_MS, deadlineMs: CALL_DEADLINE_MS }),
      makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: CALL_ATTEMPTS })),
    ],
  });
  return new Client({ connection: guarded.connection, namespace: options.namespace });
}
