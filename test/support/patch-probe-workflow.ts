/**
 * `@temporalio/workflow` as the session workflow sees it in the patch test's bundle: the same
 * module, except that `patched()` also tells the test which branch it took (a sink called during
 * replay). Nothing else changes, so a history replays exactly as it does for the worker.
 */
import * as real from '@temporalio/workflow/lib/index.js';

export * from '@temporalio/workflow/lib/index.js';

export interface PatchProbeSinks extends real.Sinks {
  patchProbe: { branch(patchId: string, taken: boolean): void };
}

export function patched(patchId: string): boolean {
  const taken = real.patched(patchId);
  // The first task asks for every patch (askForEveryPatch in workflows/session.ts), whatever
  // branches the run takes later: only the calls at the branches tell.
  if (new Error().stack?.includes('askForEveryPatch')) return taken;
  real.proxySinks<PatchProbeSinks>().patchProbe.branch(patchId, taken);
  return taken;
}
