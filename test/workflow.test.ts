import { ApplicationFailure } from '@temporalio/common';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Activities } from '../activities';
import { clipFinishingTaskQueue, providerTaskQueue, recordsTaskQueue } from '../core/queues';
import type { SessionState } from '../core/session';
import { SEARCH_KEYS } from '../core/search-attributes';
import { startSession, waitForState } from '../workflows/client';
import * as messages from '../workflows/messages';
import { GENERIC_FAILURE } from '../workflows/state';
import type { SessionWorkflowInput } from '../workflows/session';
import { createRealActivities } from './support/activities';
import { createUser } from './support/api';
import { saveHistories } from './support/histories';
import { createTestDatabase } from './support/database';
import { FAKE_PRICES, createFakeGeneration, type FakeBehaviour } from './support/fake-activities';
import { TEST_OPTIONS, sessionInput, startTestWorker } from './support/worker';

/**
 * The session workflow's behaviour on a real Temporal server and database, with generation
 * activities that make no media (known prices, injectable failures) so every path is fast.
 */
describe('session workflow', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  let userId: string;
  const behaviour: FakeBehaviour = {};
  const calls: Array<{ name: string; sessionId: string }> = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    userId = (await createUser(database.db, 'workflow@example.com', 'password-123')).id;
    const real = await createRealActivities(database.db);
    const all = { ...real.activities, ...createFakeGeneration(behaviour) };
    // Count every execution, per session, so tests can say exactly what ran (and was paid for).
    const counted = Object.fromEntries(
      Object.entries(all).map(([name, fn]) => [
        name,
        (input: { sessionId?: string }) => {
          calls.push({ name, sessionId: input.sessionId ?? '' });
          return (fn as (arg: unknown) => Promise<unknown>)(input);
        },
      ]),
    ) as unknown as Activities;
    worker = await startTestWorker(counted, { serveReplicateQueue: true });
  });
  afterAll(async () => {
    await saveAll();
    await worker.stop();
    await database.drop();
  });

  /** Sessions these tests start; with RECORD_HISTORIES their histories are saved (named
   * after their test) for test/replay.test.ts: the happy path, partial and total failure with
   * retry, variants, cancel, expiry, continue-as-new and a skipped music step. */
  const started: Array<{ test: string; sessionId: string }> = [];
  const saveAll = () =>
    saveHistories(
      worker.client,
      'v3',
      started.map((s) => ({ ...s, test: s.test.replace(/^session workflow /, '') })),
    );

  beforeEach(() => {
    behaviour.fail = undefined;
    behaviour.hangClipsUntilCancelled = undefined;
  });

  /** A user-metadata summary as Temporal stores it: a JSON payload. */
  const summaryOf = (payload: { data?: Uint8Array | null } | null | undefined) =>
    payload?.data ? (JSON.parse(Buffer.from(payload.data).toString('utf8')) as string) : undefined;

  const count = (sessionId: string, name: string) =>
    calls.filter((c) => c.sessionId === sessionId && c.name === name).length;

  async function start(overrides: Partial<SessionWorkflowInput> = {}) {
    const input = sessionInput(userId, worker.renderTaskQueue, overrides);
    const handle = await startSession(worker.client, worker.taskQueue, input);
    started.push({
      test: expect.getState().currentTestName ?? 'session',
      sessionId: input.sessionId,
    });
    return { input, handle };
  }

  const waitFor = (handle: WorkflowHandle, stage: SessionState['stage']) =>
    waitForState(handle, (s) => s.stage === stage || (stage !== 'failed' && s.stage === 'failed'));

  /** Runs an update expected to be rejected and returns the failure's type and message. */
  async function rejection(run: () => Promise<unknown>) {
    try {
      await run();
    } catch (error) {
      expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
      const cause = (error as WorkflowUpdateFailedError).cause as ApplicationFailure;
      return { type: cause.type, message: cause.message };
    }
    throw new Error('expected the update to be rejected');
  }

  async function toClipApproval(handle: WorkflowHandle) {
    const images = await waitFor(handle, 'awaiting_image_approval');
    await handle.executeUpdate(messages.actionUpdates.approveImages, {
      args: [{ imageIds: [images.images[0]!.id, images.images[1]!.id], videoPrompt: 'slow zoom' }],
    });
    return waitFor(handle, 'awaiting_clip_approval');
  }

  it('rejects invalid human actions with stable codes, before they enter history', async () => {
    // A 9:16 session, so the end of this test also shows the render is asked for that format.
    const { handle } = await start({ options: { ...TEST_OPTIONS, aspectRatio: '9:16' } });
    const state = await waitFor(handle, 'awaiting_image_approval');
    const [a, b] = state.images;
    const approve =
      (imageIds: string[], videoPrompt = 'a video') =>
      () =>
        handle.executeUpdate(messages.actionUpdates.approveImages, {
          args: [{ imageIds, videoPrompt }],
        });

    expect(await rejection(approve([a!.id]))).toEqual({
      type: 'VALIDATION_FAILED',
      message: 'imageIds: Choose at least two images.',
    });
    expect(await rejection(approve([a!.id, 'not-an-image']))).toEqual({
      type: 'VALIDATION_FAILED',
      message: 'No image not-an-image in this session.',
    });
    expect(await rejection(approve([a!.id, a!.id]))).toMatchObject({ type: 'VALIDATION_FAILED' });
    expect(await rejection(approve([a!.id, b!.id], '   '))).toEqual({
      type: 'VALIDATION_FAILED',
      message: 'videoPrompt: Describe the video.',
    });
    // Operators' signals and updates meet the API's rules: no control characters (a NUL cannot
    // be stored by PostgreSQL and used to break the session's writes).
    expect(await rejection(approve([a!.id, b!.id], 'slow\u0000zoom'))).toEqual({
      type: 'VALIDATION_FAILED',
      message: 'videoPrompt: Remove the control characters (such as NUL) from this text.',
    });
    expect(
      await rejection(() =>
        handle.executeUpdate(messages.actionUpdates.approveClips, { args: [{ clipIds: ['x'] }] }),
      ),
    ).toEqual({
      type: 'INVALID_STATE',
      message: 'Cannot approve clips while the session is awaiting_image_approval.',
    });
    expect(
      await rejection(() => handle.executeUpdate(messages.actionUpdates.retry, { args: [{}] })),
    ).toMatchObject({ type: 'INVALID_STATE' });
    expect(
      await rejection(() =>
        handle.executeUpdate(messages.actionUpdates.regenerateClip, { args: [{ clipId: 'x' }] }),
      ),
    ).toMatchObject({ type: 'INVALID_STATE' });
    expect(
      await rejection(() =>
        handle.executeUpdate(messages.actionUpdates.regenerateImage, {
          args: [{ imageId: 'nope' }],
        }),
      ),
    ).toMatchObject({ type: 'VALIDATION_FAILED' });

    // Rejected updates leave no trace in history, and the session is exactly as it was.
    const history = await handle.fetchHistory();
    const accepted = (history.events ?? [])
      .map((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name)
      .filter((name): name is string => Boolean(name));
    // Waiting (waitForState) reads the query, so nothing at all was accepted.
    expect(accepted).toEqual([]);
    const after = await handle.query(messages.stateQuery);
    expect(after.stage).toBe('awaiting_image_approval');
    expect(after.version).toBe(state.version);

    // Composition is checked too: colours are hex only (they reach FFmpeg), genres from the list.
    const clips = await (async () => {
      await handle.executeUpdate(messages.actionUpdates.approveImages, {
        args: [{ imageIds: [a!.id, b!.id], videoPrompt: 'slow zoom' }],
      });
      return waitFor(handle, 'awaiting_clip_approval');
    })();
    await handle.executeUpdate(messages.actionUpdates.approveClips, {
      args: [{ clipIds: [clips.clips[0]!.id] }],
    });
    const compose = (overrides: Record<string, unknown>) => () =>
      handle.executeUpdate(messages.actionUpdates.compose, {
        args: [
          {
            productName: 'Aero',
            callToAction: 'Shop now',
            colors: { primary: '#000000', accent: '#ff0000', text: '#ffffff' },
            music: { enabled: false, genre: 'upbeat' },
            ...overrides,
          },
        ],
      });
    expect(
      await rejection(
        compose({ colors: { primary: "red:drawtext=text='x'", accent: '#ff0000', text: '#fff' } }),
      ),
    ).toEqual({
      type: 'VALIDATION_FAILED',
      message: 'colors.primary: Use a colour like #1a2b3c.',
    });
    expect(await rejection(compose({ music: { enabled: true, genre: 'polka' } }))).toMatchObject({
      type: 'VALIDATION_FAILED',
    });
    expect(await rejection(compose({ productName: 'Aero\u0000' }))).toMatchObject({
      type: 'VALIDATION_FAILED',
    });
    expect(await rejection(compose({ productName: 'x'.repeat(61) }))).toEqual({
      type: 'VALIDATION_FAILED',
      message: 'productName: Use at most 60 characters.',
    });
    const rendered = await handle.executeUpdate(messages.actionUpdates.compose, {
      args: [
        {
          productName: 'Aero',
          callToAction: 'Shop now',
          colors: { primary: '#000000', accent: '#ff0000', text: '#ffffff' },
          music: { enabled: false, genre: 'upbeat' },
        },
      ],
    });
    expect(rendered.stage).toBe('rendering');
    const done = await waitFor(handle, 'completed');
    expect(done.final).toMatchObject({ status: 'ready', width: 1080, height: 1920 });
  });

  it('regenerating one image pays for one more image, shown beside the old one to pick', async () => {
    const { input, handle } = await start();
    const before = await waitFor(handle, 'awaiting_image_approval');
    expect(count(input.sessionId, 'generateImage')).toBe(4);
    expect(before.costs.byStage.generating_images).toBe(4 * FAKE_PRICES.image);

    const target = before.images[1]!;
    const regenerating = await handle.executeUpdate(messages.actionUpdates.regenerateImage, {
      args: [{ imageId: target.id, prompt: 'pink tennis shoes, side view, warmer light' }],
    });
    expect(regenerating.stage).toBe('generating_images');
    const after = await waitFor(handle, 'awaiting_image_approval');

    expect(count(input.sessionId, 'generateImage')).toBe(5);
    expect(after.costs.byStage.generating_images).toBe(5 * FAKE_PRICES.image);
    // The old image stays, its variant right after it, until the person keeps one of the two.
    expect(after.images).toHaveLength(5);
    expect(after.images[1]).toEqual(target);
    const variant = after.images[2]!;
    expect(variant).toMatchObject({ status: 'ready', variantOf: target.id, view: target.view });
    expect(variant.prompt).toBe('pink tennis shoes, side view, warmer light');
    expect(variant.seed).toBe((target.seed ?? 0) + 1);
    expect(
      await rejection(() =>
        handle.executeUpdate(messages.actionUpdates.regenerateImage, {
          args: [{ imageId: target.id }],
        }),
      ),
    ).toEqual({
      type: 'VALIDATION_FAILED',
      message: 'Keep one of this pair of variants before making another.',
    });

    await handle.executeUpdate(messages.actionUpdates.keepVariant, {
      args: [{ assetId: variant.id }],
    });
    const kept = await waitForState(
      handle,
      (s) => s.stage === 'awaiting_image_approval' && s.images.length === 4,
    );
    expect(kept.images[1]!.id).toBe(variant.id);
    expect(kept.images.filter((i, n) => n !== 1)).toEqual(before.images.filter((i, n) => n !== 1));
    expect(count(input.sessionId, 'generateImage')).toBe(5);

    const old = await database.db.asset.findUniqueOrThrow({ where: { id: target.id } });
    expect(old.status).toBe('replaced');
    const paid = await database.db.generationCost.count({
      where: { sessionId: input.sessionId, agent: 'image', success: true },
    });
    expect(paid).toBe(5);
  });

  it('a failed clip leaves the others to approve; retrying it makes only that clip', async () => {
    const { input, handle } = await start();
    const images = await waitFor(handle, 'awaiting_image_approval');
    const doomed = images.images[1]!.id;
    behaviour.fail = (name, call) =>
      name === 'generateClip' && (call.sourceImage as { id: string }).id === doomed
        ? ApplicationFailure.retryable('The video model is busy.', 'PROVIDER_UNAVAILABLE')
        : undefined;
    await handle.executeUpdate(messages.actionUpdates.approveImages, {
      args: [{ imageIds: [images.images[0]!.id, doomed], videoPrompt: 'slow zoom' }],
    });

    const partial = await waitFor(handle, 'awaiting_clip_approval');
    expect(partial.lastError).toBeUndefined();
    const good = partial.clips.find((c) => c.status === 'ready')!;
    const failed = partial.clips.find((c) => c.status === 'failed')!;
    expect(failed).toMatchObject({
      sourceImageId: doomed,
      errorCode: 'PROVIDER_UNAVAILABLE',
      error: 'The video model is busy.',
    });
    // The failed clip cannot be approved; the good one can, or the failed one retried alone.
    expect(
      await rejection(() =>
        handle.executeUpdate(messages.actionUpdates.approveClips, {
          args: [{ clipIds: [failed.id] }],
        }),
      ),
    ).toMatchObject({ type: 'VALIDATION_FAILED' });
    expect(
      await rejection(() =>
        handle.executeUpdate(messages.actionUpdates.retryAsset, { args: [{ assetId: good.id }] }),
      ),
    ).toEqual({
      type: 'VALIDATION_FAILED',
      message: 'Only a failed image or clip can be retried.',
    });
    expect(count(input.sessionId, 'generateClip')).toBe(3);

    behaviour.fail = undefined;
    await handle.executeUpdate(messages.actionUpdates.retryAsset, {
      args: [{ assetId: failed.id }],
    });
    const recovered = await waitFor(handle, 'awaiting_clip_approval');
    expect(count(input.sessionId, 'generateClip')).toBe(4);
    expect(recovered.clips.map((c) => c.id)).toEqual(partial.clips.map((c) => c.id));
    expect(recovered.clips.every((c) => c.status === 'ready')).toBe(true);
    expect(recovered.clips.find((c) => c.id === good.id)).toEqual(good);
    expect(recovered.costs.byStage.generating_clips).toBe(2 * FAKE_PRICES.clip);

    // A clip made again with a new prompt sits beside the old one until one is kept.
    await handle.executeUpdate(messages.actionUpdates.regenerateClip, {
      args: [{ clipId: good.id, prompt: 'slower, warmer light' }],
    });
    const paired = await waitForState(
      handle,
      (s) => s.stage === 'awaiting_clip_approval' && s.clips.length === 3,
    );
    const variant = paired.clips.find((c) => c.variantOf === good.id)!;
    expect(variant).toMatchObject({ status: 'ready', prompt: 'slower, warmer light' });
    expect(variant.motion).not.toBe(good.motion);
    await handle.executeUpdate(messages.actionUpdates.keepVariant, {
      args: [{ assetId: good.id }],
    });
    const kept = await waitForState(
      handle,
      (s) => s.stage === 'awaiting_clip_approval' && s.clips.length === 2,
    );
    expect(kept.clips.map((c) => c.id)).toEqual(recovered.clips.map((c) => c.id));
    expect(count(input.sessionId, 'generateClip')).toBe(5);
    expect(kept.costs.byStage.generating_clips).toBe(3 * FAKE_PRICES.clip);
  });

  it('parks a step where everything failed, then retry re-runs only that step', async () => {
    const { input, handle } = await start();
    const images = await waitFor(handle, 'awaiting_image_approval');
    const doomed = images.images[1]!.id;
    behaviour.fail = (name) =>
      name === 'generateClip' ? new Error('the video model is down') : undefined;
    await handle.executeUpdate(messages.actionUpdates.approveImages, {
      args: [{ imageIds: [images.images[0]!.id, doomed], videoPrompt: 'slow zoom' }],
    });

    const failed = await waitForState(handle, (s) => s.stage === 'failed');
    expect(failed.lastError).toMatchObject({
      stage: 'generating_clips',
      code: 'INTERNAL',
      provider: 'local',
      retryable: true,
    });
    // The activity's own text stays in the log; the person gets a plain sentence.
    expect(failed.lastError?.message).toBe(GENERIC_FAILURE);
    expect(JSON.stringify(failed)).not.toContain('the video model is down');
    expect(failed.lastError?.model).toBeTruthy();
    // Each clip tried twice (the test's retry policy), nothing else re-run.
    expect(count(input.sessionId, 'generateClip')).toBe(4);
    expect(failed.clips.map((c) => c.status)).toEqual(['failed', 'failed']);
    expect(failed.clips.map((c) => c.errorCode)).toEqual(['INTERNAL', 'INTERNAL']);
    const row = await database.db.session.findUniqueOrThrow({ where: { id: input.sessionId } });
    expect(row.stage).toBe('failed');
    expect(row.lastError).toMatchObject({ stage: 'generating_clips' });

    expect(
      await rejection(() =>
        handle.executeUpdate(messages.actionUpdates.retry, { args: [{ withoutMusic: true }] }),
      ),
    ).toEqual({
      type: 'VALIDATION_FAILED',
      message: 'Going on without music is offered only when the music failed.',
    });
    behaviour.fail = undefined;
    const retrying = await handle.executeUpdate(messages.actionUpdates.retry, { args: [{}] });
    expect(retrying.stage).toBe('generating_clips');
    const recovered = await waitFor(handle, 'awaiting_clip_approval');
    expect(count(input.sessionId, 'planShots')).toBe(1);
    expect(count(input.sessionId, 'generateImage')).toBe(4);
    expect(count(input.sessionId, 'planScenes')).toBe(1);
    expect(count(input.sessionId, 'generateClip')).toBe(6);
    expect(recovered.clips.map((c) => c.id)).toEqual(failed.clips.map((c) => c.id));
    expect(recovered.clips.every((c) => c.status === 'ready')).toBe(true);
    expect(recovered.costs.byStage.generating_clips).toBe(2 * FAKE_PRICES.clip);
    expect(recovered.lastError).toBeUndefined();
    const failures = await database.db.generationCost.count({
      where: { sessionId: input.sessionId, success: false },
    });
    expect(failures).toBe(2);
  });

  it('a content-policy rejection is not retried and asks for a changed prompt', async () => {
    behaviour.fail = (name, call) =>
      name === 'planShots' && String(call.prompt).includes('forbidden')
        ? ApplicationFailure.nonRetryable(
            'The prompt was flagged by the safety filter.',
            'CONTENT_POLICY',
          )
        : undefined;
    const { input, handle } = await start({ productPrompt: 'forbidden sneakers' });
    const failed = await waitForState(handle, (s) => s.stage === 'failed');
    expect(failed.lastError).toMatchObject({
      stage: 'planning_images',
      code: 'CONTENT_POLICY',
      retryable: false,
    });
    expect(count(input.sessionId, 'planShots')).toBe(1);

    expect(
      await rejection(() => handle.executeUpdate(messages.actionUpdates.retry, { args: [{}] })),
    ).toEqual({
      type: 'CONTENT_POLICY',
      message: 'The provider rejected the prompt. Change the prompt, then retry.',
    });
    await handle.executeUpdate(messages.actionUpdates.retry, {
      args: [{ productPrompt: 'pink canvas sneakers' }],
    });
    expect((await handle.query(messages.stateQuery)).productPrompt).toBe('pink canvas sneakers');
    const images = await waitFor(handle, 'awaiting_image_approval');
    expect(images.images).toHaveLength(4);
  });

  it('the budget guard stops before a paid stage and resumes once the budget is raised', async () => {
    const { input, handle } = await start({
      options: { ...TEST_OPTIONS, provider: 'replicate', budgetUsd: 0.05 },
    });
    const failed = await waitForState(handle, (s) => s.stage === 'failed');
    expect(failed.lastError).toMatchObject({
      stage: 'generating_images',
      code: 'BUDGET_EXCEEDED',
      retryable: false,
    });
    expect(failed.lastError?.message).toMatch(/past its \$0\.05 budget/);
    expect(count(input.sessionId, 'generateImage')).toBe(0);

    expect(
      await rejection(() => handle.executeUpdate(messages.actionUpdates.retry, { args: [{}] })),
    ).toMatchObject({
      type: 'BUDGET_EXCEEDED',
    });
    await handle.executeUpdate(messages.actionUpdates.retry, { args: [{ budgetUsd: 5 }] });
    const images = await waitFor(handle, 'awaiting_image_approval');
    expect(images.options.budgetUsd).toBe(5);
    expect(count(input.sessionId, 'generateImage')).toBe(4);
  });

  it('cancel stops the running step and closes the session, keeping its assets', async () => {
    let cancelled = false;
    behaviour.hangClipsUntilCancelled = () => (cancelled = true);
    const { input, handle } = await start();
    const images = await waitFor(handle, 'awaiting_image_approval');
    await handle.executeUpdate(messages.actionUpdates.approveImages, {
      args: [{ imageIds: [images.images[0]!.id, images.images[1]!.id], videoPrompt: 'slow zoom' }],
    });
    await waitForState(
      handle,
      (s) => s.stage === 'generating_clips' && s.clips.every((c) => c.status === 'generating'),
    );
    // The clips are asked for once the row shows them in the making: wait until both run.
    const running = async () =>
      ((await handle.describe()).raw.pendingActivities ?? []).filter(
        (a) => a.activityType?.name === 'generateClip' && a.lastStartedTime,
      ).length;
    const deadline = Date.now() + 15_000;
    while ((await running()) < 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await handle.signal(messages.cancelSignal, { reason: 'changed my mind' });
    const result = await handle.result();
    expect(result.stage).toBe('cancelled');
    expect(cancelled).toBe(true);
    const row = await database.db.session.findUniqueOrThrow({ where: { id: input.sessionId } });
    expect(row.stage).toBe('cancelled');
    expect(
      await database.db.asset.count({ where: { sessionId: input.sessionId, type: 'image' } }),
    ).toBe(4);
  });

  it('an idle session expires after the configured time, keeping its assets', async () => {
    const { input, handle } = await start({ idleTimeoutMs: 1500 });
    const result = await handle.result();
    expect(result.stage).toBe('expired');
    expect(result.images.filter((i) => i.status === 'ready')).toHaveLength(4);
    const row = await database.db.session.findUniqueOrThrow({ where: { id: input.sessionId } });
    expect(row.stage).toBe('expired');
    expect(await database.db.asset.count({ where: { sessionId: input.sessionId } })).toBe(4);
  });

  it('validates operator signals in the handler: invalid ones are dropped, valid ones act', async () => {
    const { handle } = await start();
    const images = await waitFor(handle, 'awaiting_image_approval');
    const [a, b] = images.images;
    await handle.signal(messages.actionSignals.approveImages, {
      imageIds: [a!.id],
      videoPrompt: 'one is not enough',
    });
    await handle.signal(messages.actionSignals.approveClips, { clipIds: ['nothing'] });
    await handle.signal(messages.actionSignals.approveImages, {
      imageIds: [b!.id, a!.id],
      videoPrompt: 'from the CLI',
    });
    const next = await waitForState(handle, (s) => s.stage !== 'awaiting_image_approval');
    expect(next.approvedImageIds).toEqual([b!.id, a!.id]);
    expect(next.videoPrompt).toBe('from the CLI');
    expect((await waitFor(handle, 'awaiting_clip_approval')).clips).toHaveLength(2);
  });

  it('continues as new when history grows long, carrying the whole state', async () => {
    const { input, handle } = await start({ historyLimit: 40 });
    const first = await waitFor(handle, 'awaiting_image_approval');
    const firstRun = (await worker.client.workflow.getHandle(input.sessionId).describe()).runId;

    await handle.executeUpdate(messages.actionUpdates.regenerateImage, {
      args: [{ imageId: first.images[0]!.id }],
    });
    const variant = (
      await waitForState(
        handle,
        (s) => s.stage === 'awaiting_image_approval' && s.images.length === 5,
      )
    ).images[1]!;
    await handle.executeUpdate(messages.actionUpdates.keepVariant, {
      args: [{ assetId: variant.id }],
    });
    const clips = await toClipApproval(handle);

    const latest = await worker.client.workflow.getHandle(input.sessionId).describe();
    expect(latest.runId).not.toBe(firstRun);
    const earlier = await worker.client.workflow.getHandle(input.sessionId, firstRun).describe();
    expect(earlier.status.name).toBe('CONTINUED_AS_NEW');
    expect(clips.images).toHaveLength(4);
    expect(clips.images[0]!.id).not.toBe(first.images[0]!.id);
    expect(clips.costs.byStage.generating_images).toBe(5 * FAKE_PRICES.image);
    expect(count(input.sessionId, 'generateImage')).toBe(5);
    expect(clips.createdAt).toBe(first.createdAt);
  });

  it('music that keeps failing lets the person render the ad without it', async () => {
    const { input, handle } = await start();
    const clips = await toClipApproval(handle);
    await handle.executeUpdate(messages.actionUpdates.approveClips, {
      args: [{ clipIds: [clips.clips[1]!.id, clips.clips[0]!.id] }],
    });
    await waitFor(handle, 'awaiting_composition');
    behaviour.fail = (name) =>
      name === 'generateMusic'
        ? ApplicationFailure.retryable('The music model is busy.', 'PROVIDER_UNAVAILABLE')
        : undefined;
    await handle.executeUpdate(messages.actionUpdates.compose, {
      args: [
        {
          productName: 'Aero',
          callToAction: 'Shop now',
          colors: { primary: '#000000', accent: '#ff0000', text: '#ffffff' },
          music: { enabled: true, genre: 'upbeat' },
        },
      ],
    });
    const failed = await waitForState(handle, (s) => s.stage === 'failed');
    expect(failed.lastError).toMatchObject({
      stage: 'generating_music',
      code: 'PROVIDER_UNAVAILABLE',
      retryable: true,
    });
    expect(count(input.sessionId, 'generateMusic')).toBe(2);

    const going = await handle.executeUpdate(messages.actionUpdates.retry, {
      args: [{ withoutMusic: true }],
    });
    expect(going.stage).toBe('rendering');
    expect((await handle.query(messages.stateQuery)).composition?.music.enabled).toBe(false);
    const done = await waitFor(handle, 'completed');
    expect(done.final?.status).toBe('ready');
    expect(done.music).toBeUndefined();
    expect(count(input.sessionId, 'generateMusic')).toBe(2);
    expect(count(input.sessionId, 'renderVideo')).toBe(1);
  });

  it('shows operators the stage, provider, user, cost and product in Temporal', async () => {
    const { input, handle } = await start({ productPrompt: 'green glass bottle' });
    const images = await waitFor(handle, 'awaiting_image_approval');
    // Search attributes are indexed shortly after the upsert: read until they have caught up.
    const deadline = Date.now() + 15_000;
    let described = await handle.describe();
    while (
      described.typedSearchAttributes.get(SEARCH_KEYS.stage) !== 'awaiting_image_approval' &&
      Date.now() < deadline
    ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      described = await handle.describe();
    }
    const attributes = described.typedSearchAttributes;
    expect(attributes.get(SEARCH_KEYS.stage)).toBe('awaiting_image_approval');
    expect(attributes.get(SEARCH_KEYS.provider)).toBe('local');
    expect(attributes.get(SEARCH_KEYS.userId)).toBe(userId);
    expect(attributes.get(SEARCH_KEYS.costUsd)).toBeCloseTo(images.costs.totalUsd, 6);
    expect(attributes.get(SEARCH_KEYS.productPrompt)).toBe('green glass bottle');
    expect(described.memo).toMatchObject({ product: 'green glass bottle', user: userId });
    // The run's line and details in Temporal UI: what it advertises, in which format, for whom
    // (by opaque id: no email), and what it is doing now.
    expect(await described.staticSummary()).toBe('green glass bottle — 16:9, 8–12 s, local ad');
    const details = (await described.staticDetails()) ?? '';
    expect(details).toContain('**Product:** green glass bottle');
    expect(details).toContain(`**User id:** \`${userId}\``);
    expect(details).not.toContain('@');
    const metadata = await handle.query<{ currentDetails?: string }>(
      '__temporal_workflow_metadata',
    );
    expect(metadata.currentDetails).toContain('**Stage:** awaiting image approval');
    expect(metadata.currentDetails).toContain(
      `**Cost so far:** ${images.costs.totalUsd.toFixed(2)} of 10.00 USD`,
    );
    // The wait for the person is a named timer, not a bare "1 (10min)". It starts once the row
    // write that follows the move has finished.
    const timersOf = async () =>
      ((await handle.fetchHistory()).events ?? []).filter((e) => e.timerStartedEventAttributes);
    let timers = await timersOf();
    while (timers.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      timers = await timersOf();
    }
    expect(timers.map((e) => summaryOf(e.userMetadata?.summary))).toEqual([
      'waiting for image approval, 10 min',
    ]);

    // Operators find it with the query they would type in Temporal UI.
    const found: string[] = [];
    for await (const run of worker.client.workflow.list({
      query: `AdUserId = '${userId}' AND AdStage = 'awaiting_image_approval' AND AdProductPrompt = 'glass bottle'`,
    })) {
      found.push(run.workflowId);
    }
    expect(found).toContain(input.sessionId);

    // Each activity carries a summary that says what it made.
    const history = await handle.fetchHistory();
    const summaries = (history.events ?? [])
      .filter((e) => e.activityTaskScheduledEventAttributes)
      .map((e) => summaryOf(e.userMetadata?.summary));
    expect(summaries).toContain('Plan 4 shots');
    expect(summaries.filter((s) => s?.startsWith('generate image ')).sort()).toEqual(
      ['front', 'side', 'back', 'top']
        .map((view, i) => `generate image ${i + 1} of 4 (${view} view), local studio`)
        .sort(),
    );
  });

  it('keeps the bookkeeping on a queue of its own: a whole session sends only the work elsewhere', async () => {
    const { handle } = await start();
    const clips = await toClipApproval(handle);
    await handle.executeUpdate(messages.actionUpdates.approveClips, {
      args: [{ clipIds: [clips.clips[0]!.id, clips.clips[1]!.id] }],
    });
    await waitFor(handle, 'awaiting_composition');
    await handle.executeUpdate(messages.actionUpdates.compose, {
      args: [
        {
          productName: 'Aero',
          callToAction: 'Shop now',
          colors: { primary: '#000000', accent: '#ff0000', text: '#ffffff' },
          music: { enabled: true, genre: 'upbeat' },
        },
      ],
    });
    await waitFor(handle, 'completed');
    await handle.result();
    const events = (await handle.fetchHistory()).events ?? [];
    const scheduled: Record<string, number> = {};
    const writes: Record<string, number> = {};
    const rowSummaries: Array<string | undefined> = [];
    for (const e of events) {
      const attributes = e.activityTaskScheduledEventAttributes;
      const type = attributes?.activityType?.name;
      if (!type) continue;
      if (type === 'syncSession') rowSummaries.push(summaryOf(e.userMetadata?.summary));
      const tally =
        attributes.taskQueue?.name === recordsTaskQueue(worker.taskQueue) ? writes : scheduled;
      tally[type] = (tally[type] ?? 0) + 1;
    }
    // Rows, ledger and mood board are written on the records queue, which the workflows' own
    // process serves, so no write waits behind media work (PATCHES.writesAsActivities).
    expect(writes).toMatchObject({ recordResult: 8, recordCost: 2, addToMoodBoard: 1 });
    expect(Object.keys(writes).sort()).toEqual([
      'addToMoodBoard',
      'recordCost',
      'recordResult',
      'syncSession',
    ]);
    // Each row write says in the timeline what it saves: the first the plan's start, the last
    // the finished ad.
    expect(rowSummaries.every((text) => text?.startsWith('save the session row: '))).toBe(true);
    expect(rowSummaries[0]).toMatch(/^save the session row: planning images, version \d+$/);
    expect(rowSummaries.at(-1)).toMatch(/^save the session row: completed, version \d+$/);
    expect(scheduled).toEqual({
      planShots: 1,
      generateImage: 4,
      planScenes: 1,
      generateClip: 2,
      generateMusic: 1,
      renderVideo: 1,
    });
    // Every wait the session made for a person is named after what it waited for. The test acts
    // as soon as the state moves, so a wait can be skipped: the person acted while the row was
    // being written, before the workflow began to wait (the operators' test sees one start).
    const names = [
      'waiting for image approval, 10 min',
      'waiting for clip approval, 10 min',
      'waiting for the composition, 10 min',
    ];
    const waits = events
      .filter((e) => e.timerStartedEventAttributes)
      .map((e) => summaryOf(e.userMetadata?.summary));
    expect(waits).toEqual(names.filter((name) => waits.includes(name)));
  });

  it("a paid provider's clips: the model on its queue, the finishing on the clips queue, paid once", async () => {
    const { input, handle } = await start({ options: { ...TEST_OPTIONS, provider: 'replicate' } });
    const images = await waitFor(handle, 'awaiting_image_approval');
    const doomed = images.images[1]!.id;
    // The model made the clip (and was paid); bringing it to the session's format failed.
    behaviour.fail = (name, call) =>
      name === 'finishClip' && (call.sourceImage as { id: string }).id === doomed
        ? ApplicationFailure.create({
            message: 'The video model returned a file that cannot be played.',
            type: 'MEDIA_INVALID',
            nonRetryable: true,
            details: [{ assetCostUsd: FAKE_PRICES.clip }],
          })
        : undefined;
    await handle.executeUpdate(messages.actionUpdates.approveImages, {
      args: [{ imageIds: [images.images[0]!.id, doomed], videoPrompt: 'slow zoom' }],
    });
    const partial = await waitFor(handle, 'awaiting_clip_approval');
    const failed = partial.clips.find((c) => c.status === 'failed')!;
    expect(failed).toMatchObject({ errorCode: 'MEDIA_INVALID', costUsd: FAKE_PRICES.clip });
    // The failed finishing still shows what the model cost.
    expect(partial.costs.byStage.generating_clips).toBe(2 * FAKE_PRICES.clip);

    behaviour.fail = undefined;
    await handle.executeUpdate(messages.actionUpdates.retryAsset, {
      args: [{ assetId: failed.id }],
    });
    const recovered = await waitForState(
      handle,
      (s) => s.stage === 'awaiting_clip_approval' && s.clips.every((c) => c.status === 'ready'),
    );
    // The model's answer for that clip is not paid for again (Replicate's prediction is reused).
    expect(recovered.costs.byStage.generating_clips).toBe(2 * FAKE_PRICES.clip);
    expect(recovered.clips.find((c) => c.id === failed.id)?.costUsd).toBe(FAKE_PRICES.clip);

    const queues: Record<string, string[]> = {};
    for (const e of (await handle.fetchHistory()).events ?? []) {
      const attributes = e.activityTaskScheduledEventAttributes;
      const type = attributes?.activityType?.name;
      if (!type || !/clip/i.test(type)) continue;
      (queues[type] ??= []).push(attributes.taskQueue?.name ?? '');
    }
    expect(queues).toEqual({
      generateModelClip: Array<string>(3).fill(providerTaskQueue(worker.taskQueue, 'replicate')),
      finishClip: Array<string>(3).fill(clipFinishingTaskQueue(worker.taskQueue)),
    });
    expect(count(input.sessionId, 'generateClip')).toBe(0);
  });
});
