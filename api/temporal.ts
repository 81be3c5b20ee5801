import { Client, Connection } from '@temporalio/client';

/**
 * A Temporal client that connects on first use and reconnects after a failed attempt, so the API
 * answers (and reports "not ready") while Temporal is still starting.
 */
export function lazyTemporalClient(options: { address: string; namespace: string }) {
  let pending: Promise<Client> | undefined;
  const get = () => {
    pending ??= Connection.connect({ address: options.address, connectTimeout: 2000 }).then(
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
