import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { describe, expect, inject, it } from 'vitest';

/**
 * Issue 19's nondeterminism, kept as the history that shows it. `npm run stress` recorded it on a
 * starved machine while a session's row writes were local activities: the first image's write
 * (`recordResult`) has its marker in one workflow task, but the SDK gave the workflow its result
 * only in the next, together with the other three images. The workflow then asked for the other
 * images' writes before the first image's `syncSession`. Replayed, the result comes with the
 * marker, one task earlier, so `syncSession` is asked for first and takes the sequence number the
 * history gave a `recordResult`. No order of local activities in the workflow avoids this while
 * results can move between tasks, so writes are activities since PATCHES.writesAsActivities (their
 * results are events, which replay in the order they happened); the stress run then replays every
 * session. Runs from before the patch keep their local writes, and can still meet the race.
 */
describe('the nondeterminism of local row writes under load', () => {
  it('a history whose write result reached the workflow a task late does not replay', async () => {
    const file = join(
      import.meta.dirname,
      'nondeterminism',
      'local-writes-a-result-delivered-a-task-late.json',
    );
    const history = historyFromJSON(JSON.parse(await readFile(file, 'utf8')));
    await expect(
      Worker.runReplayHistory(
        { workflowBundle: { codePath: inject('workflowBundlePath') } },
        history,
        'local-writes-a-result-delivered-a-task-late',
      ),
    ).rejects.toThrow(
      "Activity type of recorded marker 'recordResult' does not match activity type of local " +
        "activity command 'syncSession'",
    );
  });
});
