import type { Storage } from './types';

/**
 * A storage operation that failed: the store is unreachable, refused the request or ran out of
 * room. Marked so the layers above can say "storage" truthfully (a retryable STORAGE_UNAVAILABLE
 * for activities, 503 for the API) instead of blaming a provider; the cause stays for the logs.
 */
export class StorageFault extends Error {
  override readonly name = 'StorageFault';
  constructor(operation: string, cause: unknown) {
    super(`Storage ${operation} failed`, { cause });
  }
}

export function isStorageFault(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 6; depth++) {
    if (current instanceof StorageFault) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** Operations that touch the store; a refused key is a bug, not a fault, and is not wrapped. */
const IO = ['putFile', 'getToFile', 'open', 'head', 'delete', 'check'] as const;

/** The same storage, whose I/O failures arrive as StorageFaults. */
export function reportingFaults(storage: Storage): Storage {
  const guarded = { ...storage };
  for (const name of IO) {
    const operation = storage[name].bind(storage) as (...args: unknown[]) => Promise<unknown>;
    (guarded as unknown as Record<string, unknown>)[name] = async (...args: unknown[]) => {
      try {
        return await operation(...args);
      } catch (error) {
        if (error instanceof StorageFault || isKeyRefusal(error)) throw error;
        throw new StorageFault(name, error);
      }
    };
  }
  return guarded;
}

function isKeyRefusal(error: unknown) {
  return (
    error instanceof Error &&
    /^(Not a storage key|Storage key escapes|Session and asset ids|User and upload ids)/.test(
      error.message,
    )
  );
}
