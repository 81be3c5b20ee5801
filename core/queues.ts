import type { ProviderName } from './options';

/**
 * Generation for a paid provider runs on a task queue of its own, polled only by workers that hold
 * its credentials: a session on that provider waits for such a worker instead of failing on one
 * that cannot call it, and the API offers the provider only while the queue has pollers.
 */
export function providerTaskQueue(mainQueue: string, provider: ProviderName): string {
  return provider === 'local' ? mainQueue : `${mainQueue}-${provider}`;
}

/**
 * A session's database writes (rows, ledger, mood board) run on a queue of their own, polled by
 * the process that runs the workflows: a write never waits behind media work for a slot.
 */
export function recordsTaskQueue(mainQueue: string): string {
  return `${mainQueue}-records`;
}

/**
 * A model's clips are brought to the session's format (an FFmpeg encode, the product check) on a
 * queue of their own, one per core: a provider's queue takes many at once, since it mostly waits.
 */
export function clipFinishingTaskQueue(mainQueue: string): string {
  return `${mainQueue}-clips`;
}
