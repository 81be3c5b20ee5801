import { Connection } from '@temporalio/client';
import { ConfigError, parseEnv, temporalEnv } from '../core/env';
import { TemporalSetupError, ensureServerNeeds } from '../worker/temporal-setup';
import { z } from 'zod';

/**
 * `npm run temporal-setup` (and the compose `temporal-setup` service): gives the Temporal at
 * TEMPORAL_ADDRESS what this version of the studio needs in TEMPORAL_NAMESPACE (the namespace,
 * and the search attributes of core/search-attributes.ts), as every worker does when it starts.
 * Waits up to two minutes for a Temporal that is still starting.
 */
const WAIT_MS = 120_000;

async function connect(address: string) {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    try {
      return await Connection.connect({ address, connectTimeout: 2000 });
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
}

try {
  const { TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE } = parseEnv(z.object(temporalEnv));
  const connection = await connect(TEMPORAL_ADDRESS);
  try {
    const registered = await ensureServerNeeds(connection, TEMPORAL_NAMESPACE);
    console.log(
      registered.length
        ? `registered in ${TEMPORAL_NAMESPACE}: ${registered.join(', ')}`
        : `${TEMPORAL_NAMESPACE} already has what this version needs`,
    );
  } finally {
    await connection.close();
  }
} catch (error) {
  const known = error instanceof ConfigError || error instanceof TemporalSetupError;
  console.error(known || error instanceof Error ? error.message : error);
  process.exit(1);
}
