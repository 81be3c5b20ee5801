import { setTimeout as sleep } from 'node:timers/promises';
import { isStorageFault, type Storage } from '../storage';
import { heartbeatIfInActivity } from './context';

/** Writes and reads that go on trying through a storage outage of about this long. */
export const STORAGE_PATIENCE_MS = 60_000;
const FIRST_PAUSE_MS = 500;
const LONGEST_PAUSE_MS = 5_000;

/**
 * The worker's storage: an operation that meets a storage fault (the store unreachable, its
 * folder gone) is tried again with backoff, heartbeating so the activity is not taken for dead,
 * for up to `patienceMs`, while the store does not answer its readiness probe. A short outage then costs a pause, not a failed step; a longer one
 * still ends as STORAGE_UNAVAILABLE. Only the worker waits like this: the API answers at once.
 */
export function patientStorage(storage: Storage, patienceMs = STORAGE_PATIENCE_MS): Storage {
  const patient = { ...storage };
  const retried = ['putFile', 'getToFile', 'head', 'delete'] as const;
  for (const name of retried) {
    const operation = storage[name].bind(storage) as (...args: unknown[]) => Promise<unknown>;
    (patient as unknown as Record<string, unknown>)[name] = async (...args: unknown[]) => {
      const deadline = Date.now() + patienceMs;
      for (let pause = FIRST_PAUSE_MS; ; pause = Math.min(pause * 2, LONGEST_PAUSE_MS)) {
        try {
          return await operation(...args);
        } catch (error) {
          if (!isStorageFault(error) || Date.now() + pause > deadline) throw error;
          // A store that answers its own probe is up: the fault is about this object (a file
          // gone missing), and waiting would not bring it back.
          if (await storeAnswers(storage)) throw error;
          heartbeatIfInActivity();
          await sleep(pause);
        }
      }
    };
  }
  return patient;
}

async function storeAnswers(storage: Storage) {
  try {
    await storage.check();
    return true;
  } catch {
    return false;
  }
}
