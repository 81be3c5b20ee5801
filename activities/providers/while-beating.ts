import type { CallContext } from './types';

/**
 * Reports `fraction` every second while `work` runs (saving, converting or checking a file, which
 * reports no progress of its own), so the activity heartbeats and a cancel still reaches it.
 */
export async function whileBeating<T>(
  ctx: CallContext | undefined,
  work: () => Promise<T>,
  fraction = 0.99,
): Promise<T> {
  const timer = setInterval(() => ctx?.onProgress?.(fraction), 1000);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
