import { describe, expect, it } from 'vitest';
import { BEAT_ROLES, PRODUCT_VIEWS } from '../../../core/options';
import type { ProductView } from '../../../core/options';
import { parseProductPrompt } from './parse-prompt';
import { createLocalPlanner } from './planner';

const planner = createLocalPlanner();

describe('parseProductPrompt', () => {
  it.each([
    ['pink tennis shoes', 'shoe', 'pink', '#f06ba8', 'mesh', 'tennis shoes'],
    ['matte black water bottle', 'bottle', 'black', '#1d1d20', 'matte', 'water bottle'],
    ['Navy Blue leather backpack', 'bag', 'navy blue', '#1f2f5c', 'leather', 'backpack'],
    ['gold steel smartwatch', 'watch', 'gold', '#d4a838', 'metal', 'smartwatch'],
    ['white wireless earbuds', 'headphones', 'white', '#f7f7f5', 'matte', 'wireless earbuds'],
    ['teal ceramic coffee mug', 'mug', 'teal', '#14897f', 'ceramic', 'coffee mug'],
    ['red glossy phone', 'phone', 'red', '#d8262f', 'glossy', 'phone'],
    ['crimson lipstick', 'lipstick', 'crimson', '#b3122f', 'glossy', 'lipstick'],
    ['lavender night cream jar', 'jar', 'lavender', '#b9a4e6', 'glass', 'night cream jar'],
    ['suede chelsea boots in tan', 'shoe', 'tan', '#c89b6d', 'suede', 'chelsea boots'],
    ['orange scented candle', 'box', 'orange', '#f47b20', 'matte', 'scented candle'],
  ])('%s', (prompt, kind, colourName, colourHex, material, name) => {
    expect(parseProductPrompt(prompt, 1)).toEqual({ kind, colourName, colourHex, material, name });
  });

  it('picks a colour from the seed when the prompt names none', () => {
    const a = parseProductPrompt('running shoes', 3);
    expect(a.colourHex).toMatch(/^#[0-9a-f]{6}$/);
    expect(parseProductPrompt('running shoes', 3)).toEqual(a);
  });
});

describe('planShots', () => {
  it('plans count shots cycling the views, each with a usable prompt', async () => {
    for (const count of [4, 5, 6, 7, 8]) {
      const plan = await planner.planShots({
        prompt: 'pink tennis shoes',
        count,
        aspectRatio: '16:9',
      });
      expect(plan.shots).toHaveLength(count);
      expect(plan.shots.slice(0, 6).map((s) => s.view)).toEqual(PRODUCT_VIEWS.slice(0, count));
      for (const shot of plan.shots) {
        expect(shot.prompt).toContain('pink tennis shoes');
        expect(shot.prompt.length).toBeGreaterThan(120);
      }
      expect(new Set(plan.shots.map((s) => s.prompt)).size).toBe(count);
      expect(plan.model).toBe('local/planner-v1');
      expect(plan.costUsd).toBe(0);
    }
    const eight = await planner.planShots({
      prompt: 'pink tennis shoes',
      count: 8,
      aspectRatio: '16:9',
    });
    expect(eight.shots.map((s) => s.view).slice(6)).toEqual(['lifestyle', 'detail']);
  });

  it('is deterministic: prompt hash as seed, explicit seed respected', async () => {
    const a = await planner.planShots({
      prompt: 'Pink  tennis shoes!',
      count: 6,
      aspectRatio: '16:9',
    });
    const b = await planner.planShots({
      prompt: 'pink tennis shoes',
      count: 6,
      aspectRatio: '16:9',
    });
    expect(a).toEqual(b);
    const seeded = await planner.planShots({
      prompt: 'pink tennis shoes',
      count: 6,
      aspectRatio: '16:9',
      seed: 42,
    });
    expect(seeded.seed).toBe(42);
    expect(
      await planner.planShots({
        prompt: 'pink tennis shoes',
        count: 6,
        aspectRatio: '16:9',
        seed: 42,
      }),
    ).toEqual(seeded);
  });

  it('builds a palette of hex colours led by the backdrop and including the product colour', async () => {
    const styles = new Set<string>();
    for (let seed = 0; seed < 12; seed++) {
      const plan = await planner.planShots({
        prompt: 'matte black water bottle',
        count: 4,
        aspectRatio: '16:9',
        seed,
      });
      for (const hex of plan.style.palette) expect(hex).toMatch(/^#[0-9a-f]{6}$/);
      expect(plan.style.palette).toContain(plan.product.colourHex);
      // A black product never gets the dark set, where it would vanish.
      expect(plan.style.backdrop).not.toMatch(/dark/);
      styles.add(plan.style.backdrop);
    }
    expect(styles.size).toBeGreaterThan(1);
  });
});

describe('planScenes', () => {
  const images = (views: ProductView[]) =>
    views.map((view, i) => ({ id: `img${i}`, view, prompt: view }));
  const base = async () =>
    planner.planShots({ prompt: 'pink tennis shoes', count: 6, aspectRatio: '16:9' });

  it('gives one 3 s scene per image with varied motions', async () => {
    const plan = await base();
    const result = await planner.planScenes({
      videoPrompt: '',
      product: plan.product,
      style: plan.style,
      images: images([...PRODUCT_VIEWS]),
    });
    // Every image once, in beat order: the detail close-up hooks, the front view closes.
    expect(result.scenes.map((s) => s.imageId).sort()).toEqual([
      'img0',
      'img1',
      'img2',
      'img3',
      'img4',
      'img5',
    ]);
    expect(result.scenes.map((s) => s.role)).toEqual([
      'hook',
      'reveal',
      'feature',
      'feature',
      'lifestyle',
      'call_to_action',
    ]);
    expect(result.scenes[0]?.imageId).toBe('img4');
    expect(result.scenes.at(-1)?.imageId).toBe('img0');
    for (const [i, scene] of result.scenes.entries()) {
      expect(scene.durationSeconds).toBe(3);
      expect(scene.prompt).toContain('pink tennis shoes');
      if (i > 0) expect(scene.motion).not.toBe(result.scenes[i - 1]?.motion);
    }
    expect(new Set(result.scenes.map((s) => s.motion)).size).toBeGreaterThanOrEqual(4);
    expect(result.model).toBe('local/planner-v1');
  });

  it('follows keywords in the video prompt', async () => {
    const plan = await base();
    const views = images(['front', 'front', 'front', 'front']);
    const count = async (videoPrompt: string, move: string) =>
      (
        await planner.planScenes({
          videoPrompt,
          product: plan.product,
          style: plan.style,
          images: views,
        })
      ).scenes.filter((s) => s.motion === move).length;
    expect(await count('make it shine and sparkle', 'light_sweep')).toBeGreaterThan(
      await count('', 'light_sweep'),
    );
    expect(
      (await count('slow pan across the shoes', 'pan_left')) +
        (await count('slow pan across the shoes', 'pan_right')),
    ).toBeGreaterThanOrEqual(2);
    expect(await count('depth and parallax', 'parallax')).toBeGreaterThanOrEqual(2);
    const side = await planner.planScenes({
      videoPrompt: 'zoom',
      product: plan.product,
      style: plan.style,
      images: images(['side']),
    });
    expect(side.scenes[0]?.motion).toBe('zoom_in');
  });
});

describe('beat roles', () => {
  const rank = (role: string) => (BEAT_ROLES as readonly string[]).indexOf(role);

  it.each([4, 5, 6, 7, 8])(
    'gives %i shots one hook, one call to action and a reveal',
    async (count) => {
      const plan = await planner.planShots({
        prompt: 'green glass bottle',
        count,
        aspectRatio: '1:1',
      });
      const roles = plan.shots.map((s) => s.role);
      expect(roles.filter((r) => r === 'hook')).toHaveLength(1);
      expect(roles.filter((r) => r === 'call_to_action')).toHaveLength(1);
      expect(roles.filter((r) => r === 'reveal')).toHaveLength(1);
      // Lifestyle views play the lifestyle beat unless they were needed for the hook.
      plan.shots.forEach((shot) => {
        if (shot.view === 'lifestyle' && shot.role !== 'hook' && shot.role !== 'call_to_action')
          expect(shot.role).toBe('lifestyle');
      });
    },
  );

  it('orders any approved set hook first and call to action last, keeping given roles', async () => {
    const plan = await planner.planShots({
      prompt: 'pink tennis shoes',
      count: 8,
      aspectRatio: '16:9',
    });
    const shots = plan.shots.map((s, i) => ({
      id: `img${i}`,
      view: s.view,
      prompt: s.prompt,
      role: s.role,
    }));
    // Every pair and a few larger sets, in scrambled order.
    const sets = [
      ...shots.flatMap((a, i) => shots.slice(i + 1).map((b) => [b, a])),
      [shots[5]!, shots[0]!, shots[4]!, shots[2]!],
      [...shots].reverse(),
    ];
    for (const images of sets) {
      const { scenes } = await planner.planScenes({
        videoPrompt: 'slow and premium',
        product: plan.product,
        style: plan.style,
        images,
      });
      const roles = scenes.map((s) => s.role);
      expect(roles[0]).toBe('hook');
      expect(roles.at(-1)).toBe('call_to_action');
      for (let i = 1; i < roles.length; i++)
        expect(rank(roles[i]!)).toBeGreaterThanOrEqual(rank(roles[i - 1]!));
      expect(scenes.map((s) => s.imageId).sort()).toEqual(images.map((i) => i.id).sort());
      // A set that kept the plan's hook and call to action keeps every shot's planned beat.
      const given = new Set(images.map((i) => i.role));
      if (given.has('hook') && given.has('call_to_action')) {
        for (const scene of scenes)
          expect(scene.role).toBe(images.find((i) => i.id === scene.imageId)?.role);
      }
    }
  });

  it('keeps the style out of shot prompts (it is applied when each image is made)', async () => {
    const plan = await planner.planShots({
      prompt: 'pink tennis shoes',
      count: 6,
      aspectRatio: '16:9',
    });
    for (const shot of plan.shots) {
      expect(shot.prompt).not.toContain(plan.style.lighting);
      expect(shot.prompt).not.toContain(plan.style.grade);
    }
  });
});
