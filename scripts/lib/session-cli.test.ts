import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createRealActivities } from '../../test/support/activities';
import { createUser } from '../../test/support/api';
import { createTestDatabase } from '../../test/support/database';
import { createFakeGeneration } from '../../test/support/fake-activities';
import { sessionInput, startTestWorker } from '../../test/support/worker';
import { startSession, waitForState } from '../../workflows/client';
import { runSessionCommand, UsageError, type SessionCliDeps } from './session-cli';

/**
 * The operator's round trip from a terminal: find the failed session, inspect it, replay its
 * history against the current code, retry it, and cancel it.
 */
describe('npm run session', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  let deps: SessionCliDeps;
  let userId: string;
  let imagesFail = true;

  beforeAll(async () => {
    database = await createTestDatabase();
    userId = (await createUser(database.db, 'operator@example.com', 'password-123')).id;
    const real = await createRealActivities(database.db);
    worker = await startTestWorker({
      ...real.activities,
      ...createFakeGeneration({
        fail: (name) =>
          imagesFail && name === 'generateImage' ? new Error('the image model is down') : undefined,
      }),
    });
    deps = {
      db: database.db,
      temporal: () => Promise.resolve(worker.client),
      namespace: 'default',
      temporalUi: 'http://temporal-ui.example',
      replay: { workflowBundle: { codePath: inject('workflowBundlePath') } },
    };
  });
  afterAll(async () => {
    await worker.stop();
    await database.drop();
  });

  const run = (...argv: string[]) => runSessionCommand(argv, deps);

  it('lists, inspects, replays, retries and cancels a failed session', async () => {
    const input = sessionInput(userId, worker.renderTaskQueue);
    const handle = await startSession(worker.client, worker.taskQueue, input);
    await waitForState(handle, (s) => s.stage === 'failed');
    const id = input.sessionId;

    expect(
      (await run('list', '--stage', 'failed')).some((l) => l.startsWith(`${id}  failed`)),
    ).toBe(true);
    expect(await run('list', '--stage', 'completed')).toEqual(['no completed sessions']);

    const inspected = await run('inspect', id);
    expect(inspected).toContain('stage     failed');
    // People (and this summary) see the step and a plain sentence; the activity's own words
    // ("the image model is down") stay in the logs and in Temporal, behind the link below.
    expect(inspected.find((l) => l.startsWith('error'))).toMatch(
      /^error {5}\w+ at generating_images .*failed after several tries/,
    );
    expect(inspected).toContain(
      `Temporal  http://temporal-ui.example/namespaces/default/workflows/${id}`,
    );
    expect(inspected.find((l) => l.startsWith('workflow'))).toMatch(/RUNNING at failed/);
    expect(inspected.some((l) => l.includes('failed: This step failed after several tries'))).toBe(
      true,
    );

    expect(await run('replay', id)).toEqual([`${id}: replays cleanly`]);
    const open = await run('replay', '--all-open');
    expect(open).toContain(`${id}: replays cleanly`);
    // Every open session of the Temporal the test files share; on failure, the ones that did not
    // replay, with their errors.
    expect(
      open.at(-1),
      open.filter((line) => !line.endsWith('replays cleanly')).join('\n'),
    ).toMatch(/^replayed \d+ open sessions, 0 nondeterministic$/);

    imagesFail = false;
    // The images are made again at once here, so the stage it reports may already be the next.
    const retried = await run('retry', id);
    expect(retried).toHaveLength(1);
    expect(retried[0]).toMatch(
      new RegExp(`^${id}: retrying, now (generating_images|awaiting_image_approval)$`),
    );
    await waitForState(handle, (s) => s.stage === 'awaiting_image_approval');

    expect(await run('cancel', id)).toEqual([`${id}: cancel sent`]);
    expect((await handle.result()).stage).toBe('cancelled');
    expect((await run('inspect', id)).find((l) => l.startsWith('workflow'))).toMatch(
      /^workflow {2}COMPLETED/,
    );
  });

  it('explains how to use it when the verb or its argument is wrong', async () => {
    await expect(run('explode')).rejects.toThrow(UsageError);
    await expect(run('inspect')).rejects.toThrow('inspect needs a session id');
    await expect(run('list', '--stage', 'nonsense')).rejects.toThrow('--stage needs a stage');
  });
});
