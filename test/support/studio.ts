import { randomUUID } from 'node:crypto';
import { createRealActivities } from './activities';
import { createTestApi } from './api';
import { createTestDatabase } from './database';
import { createFakeGeneration } from './fake-activities';
import { startTestWorker } from './worker';

/**
 * An API on a fresh database whose sessions run on a real Temporal worker (real records, media
 * free fake generation), for tests that drive the journey over HTTP.
 */
export async function createTestStudio() {
  const database = await createTestDatabase();
  const taskQueue = `test-${randomUUID()}`;
  const queues = {
    TEMPORAL_TASK_QUEUE: taskQueue,
    TEMPORAL_RENDER_TASK_QUEUE: `${taskQueue}-render`,
  };
  const api = await createTestApi(database.db, database.url, queues);
  // The worker reads what the API stored (uploaded photos), as in a real deployment.
  const real = await createRealActivities(database.db, api.storage);
  const worker = await startTestWorker(
    { ...real.activities, ...createFakeGeneration() },
    { taskQueue },
  );
  return {
    database,
    worker,
    api,
    /** The worker's storage, where tests can put the files fake generation does not make. */
    storage: real.storage,
    /** Another API on the same database and queues, with other settings. */
    apiWith: (overrides: Record<string, string>) =>
      createTestApi(database.db, database.url, { ...queues, ...overrides }),
    async close() {
      await api.close();
      await worker.stop();
      await database.drop();
    },
  };
}
