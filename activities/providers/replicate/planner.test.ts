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

/** Like `answering`, and keeps what the planner asked the model each round. */
function recording(reply: unknown) {
  const asked: string[] = [];
  const lifecycle = answering(reply);
  const run = lifecycle.run.bind(lifecycle);
  lifecycle.run = (call, ctx) => {
    asked.push(JSON.stringify(call.input));
    return run(call, ctx);
  };
  return { lifecycle, asked };
}

describe('replicate shot plan with a product photo', () => {
  const request = { prompt: 'red espresso cup', count: 4, aspectRatio: '1:1' as const };
  const viewReply = async () => {
    const base = await local.planShots(request);
    return {
      product: base.product,
      style: base.style,
      shots: base.shots.map(({ view }) => ({ view, prompt: `the cup, ${view} view` })),
    };
  };

  it('asks for scenes around the photographed product, not views of it', async () => {
    const withPhoto = recording(await viewReply());
    await createReplicatePlanner(withPhoto.lifecycle, local).planShots(
      { ...request, hasPhoto: true },
      job,
    );
    expect(withPhoto.asked[0]).toMatch(/a different scene around the product/);
    expect(withPhoto.asked[0]).toMatch(/never ask for a side, back, top or other view/);
    expect(withPhoto.asked[0]).not.toMatch(/a different view or angle each/);

    const without = recording(await viewReply());
    await createReplicatePlanner(without.lifecycle, local).planShots(request, job);
    expect(without.asked[0]).toMatch(/a different view or angle each/);
    expect(without.asked[0]).not.toMatch(/scene around the product/);
  });

  it('refuses a plan that asks for views of a photographed product, then plans scenes itself', async () => {
    const { lifecycle, asked } = recording(await viewReply());
    const plan = await createReplicatePlanner(lifecycle, local).planShots(
      { ...request, hasPhoto: true },
      job,
    );
    expect(asked).toHaveLength(2);
    expect(asked[1]).toMatch(/asks for a view of the product that its photo does not show/);
    expect(plan.model).toMatch(/fell back/);
    for (const shot of plan.shots) expect(shot.prompt).not.toMatch(/\b(front|side|back) view/);
  });

  it('keeps a view plan when there is no photo', async () => {
    const { lifecycle, asked } = recording(await viewReply());
    const plan = await createReplicatePlanner(lifecycle, local).planShots(request, job);
    expect(asked).toHaveLength(1);
    expect(plan.shots[1]!.prompt).toBe('the cup, side view');
  });
});
