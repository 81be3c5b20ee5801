import { describe, expect, it } from 'vitest';
import { createLocalPlanner } from '../local/planner';
import type { createLifecycle } from './lifecycle';
import { createReplicatePlanner } from './planner';

type Lifecycle = ReturnType<typeof createLifecycle>;

/** A lifecycle whose model answers with the given JSON, streamed as text pieces. */
function answering(reply: unknown): Lifecycle {
  const text = JSON.stringify(reply);
  return {
    run: () =>
      Promise.resolve({
        prediction: { output: [text.slice(0, 10), text.slice(10)] },
        jobKey: 'job',
        assetCostUsd: 0.002,
      }),
  } as unknown as Lifecycle;
}

const job = { job: { sessionId: 'session-1', assetId: 'plan-1', tier: 'standard' as const } };
const local = createLocalPlanner();

describe('replicate planner beats', () => {
  const planScenes = async (scenes: unknown[]) => {
    const base = await local.planShots({ prompt: 'oak watch', count: 4, aspectRatio: '16:9' });
    return createReplicatePlanner(answering({ scenes }), local).planScenes(
      {
        videoPrompt: 'slow',
        product: base.product,
        style: base.style,
        images: [
          { id: 'a', view: 'front', prompt: 'front' },
          { id: 'b', view: 'side', prompt: 'side' },
          { id: 'c', view: 'detail', prompt: 'detail' },
        ],
      },
      job,
    );
  };

  it("keeps the model's beats and plays them in beat order", async () => {
    const plan = await planScenes([
      { imageId: 'a', motion: 'zoom_in', prompt: 'close', role: 'call_to_action' },
      { imageId: 'b', motion: 'pan_left', prompt: 'show', role: 'reveal' },
      { imageId: 'c', motion: 'parallax', prompt: 'open', role: 'hook' },
    ]);
    expect(plan.scenes.map((s) => [s.imageId, s.role])).toEqual([
      ['c', 'hook'],
      ['b', 'reveal'],
      ['a', 'call_to_action'],
    ]);
    expect(plan.scenes.map((s) => s.prompt)).toEqual(['open', 'show', 'close']);
  });

  it('deals the beats by view when the model leaves the ad without a hook', async () => {
    const plan = await planScenes([
      { imageId: 'a', motion: 'zoom_in', prompt: 'one' },
      { imageId: 'b', motion: 'pan_left', prompt: 'two', role: 'feature' },
      { imageId: 'c', motion: 'parallax', prompt: 'three', role: 'feature' },
    ]);
    expect(plan.scenes.map((s) => [s.imageId, s.role])).toEqual([
      ['c', 'hook'],
      ['b', 'reveal'],
      ['a', 'call_to_action'],
    ]);
  });

  it('gives every shot a beat even when the model names none', async () => {
    const base = await local.planShots({ prompt: 'oak watch', count: 4, aspectRatio: '16:9' });
    const planner = createReplicatePlanner(
      answering({
        product: base.product,
        style: base.style,
        shots: base.shots.map(({ view, prompt }) => ({ view, prompt })),
      }),
      local,
    );
    const plan = await planner.planShots(
      { prompt: 'oak watch', count: 4, aspectRatio: '16:9' },
      job,
    );
    const roles = plan.shots.map((s) => s.role);
    expect(roles).toContain('hook');
    expect(roles).toContain('call_to_action');
    expect(plan.model).not.toMatch(/fell back/);
  });
});
