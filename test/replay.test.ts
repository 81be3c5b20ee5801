import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { describe, expect, inject, it } from 'vitest';

/**
 * Every committed history (one per released shape of the session workflow) must replay against
 * the current code. A change that alters the order of commands without `patched()` fails here.
 * Each replays from its first event with no cached run, as after an eviction or for a query on a
 * finished run (a live worker with no cache: test/replay-uncached.test.ts); overload-before-*
 * hold the shapes of issue 19's nondeterminism and lost cancel.
 */
const dir = join(import.meta.dirname, 'histories');
const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();

describe('replaying committed session histories', () => {
  it('has at least one history to replay', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s replays without nondeterminism', async (file) => {
    const history = historyFromJSON(JSON.parse(await readFile(join(dir, file), 'utf8')));
    await expect(
      Worker.runReplayHistory(
        { workflowBundle: { codePath: inject('workflowBundlePath') } },
        history,
        file.replace(/\.json$/, ''),
      ),
    ).resolves.toBeUndefined();
  });
});
