import {
  Client,
  Connection,
  defaultGrpcRetryOptions,
  makeGrpcRetryInterceptor,
} from '@temporalio/client';

/**
 * A Temporal client that connects on first use and reconnects after a failed attempt, so the API
 * answers (and reports "not ready") while Temporal is still starting.
 *
 * A person is waiting on every call, so Temporal being down must show within a second (a 503,
 * see unavailable.ts), not after the SDK's default ten retries over many seconds: the connect
 * times out after 800 ms and a call is tried three times within about half a second. Once
 * Temporal is back, the next call connects or the channel reconnects by itself.
 */
const CONNECT_TIMEOUT_MS = 800;
const CALL_ATTEMPTS = 3;

export function lazyTemporalClient(options: { address: string; namespace: string }) {
  let pending: Promise<Client> | undefined;
  const get = () => {
    pending ??= Connection.connect({
      address: options.address,
      connectTimeout: CONNECT_TIMEOUT_MS,
      interceptors: [
        makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: CALL_ATTEMPTS })),
      ],
    }).then(
      (connection) => new Client({ connection, namespace: options.namespace }),
      (error: unknown) => {
        pending = undefined;
        throw error;
      },
    );
    return pending;
  };
  const close = async () => {
    const current = pending;
    pending = undefined;
    if (current) await current.then((c) => c.connection.close()).catch(() => undefined);
  };
  return { get, close };
}
