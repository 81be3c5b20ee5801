import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { slug } from '../../core/text';

/**
 * With RECORD_HISTORIES=<folder>, saves the history of every run of the given sessions there,
 * named `<prefix>-<test>[-runN].json`. Committed under test/histories/, they are what
 * test/replay.test.ts replays against later workflow code.
 */
export async function saveHistories(
  client: Client,
  prefix: string,
  started: ReadonlyArray<{ test: string; sessionId: string }>,
) {
  const folder = process.env.RECORD_HISTORIES;
  if (!folder) return;
  await mkdir(folder, { recursive: true });
  for (const { test, sessionId } of started) {
    const runs = client.workflow.list({ query: `WorkflowId = '${sessionId}'` });
    let n = 0;
    for await (const run of runs) {
      const history = await client.workflow.getHandle(sessionId, run.runId).fetchHistory();
      const name = `${prefix}-${slug(test)}${n++ ? `-run${n}` : ''}.json`;
      await writeFile(join(folder, name), historyToJSON(history));
    }
  }
}
