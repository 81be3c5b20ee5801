import { describe, expect, it } from 'vitest';
import { createLocalPlanner } from './planner';
import { namesRepeatSet, SET_DESCRIPTIONS } from './photo-shot-prompts';
import { PHOTO_RECIPES, photoShotFor } from './photo-shots';
import { offlineNotice, readSceneDirection } from './scene-direction';

const planner = createLocalPlanner();
const VIEW_WORDS = /front view|\bside\b|back view|\brear\b|top-down|straight-on|directly above/i;

describe('shot prompts with a product photo', () => {
  it('describes every set in words that read back as that same set', () => {
    for (const recipe of PHOTO_RECIPES) expect(SET_DESCRIPTIONS[recipe.name]).toBeDefined();
  });

  it.each([1, 7, 12345])(
    'names each shot for the set the studio draws, never a view (seed %i)',
    async (seed) => {
      const plan = await planner.planShots({
        prompt: 'red espresso cup',
        count: 8,
        aspectRatio: '1:1',
        seed,
        hasPhoto: true,
      });
      const names = plan.shots.map((shot) => {
        expect(shot.prompt).not.toMatch(VIEW_WORDS);
        const direction = readSceneDirection(shot.prompt, plan.product);
        expect(offlineNotice(direction)).toBeUndefined();
        const drawn = photoShotFor({
          view: shot.view,
          repeat: namesRepeatSet(shot.prompt, shot.view, plan.seed),
          seed: plan.seed,
          prompt: shot.prompt,
          direction,
        });
        expect(shot.prompt.startsWith(`${drawn.name}: `)).toBe(true);
        return drawn.name;
      });
      expect(new Set(names).size).toBe(8);
    },
  );

  it('keeps the view prompts when there is no photo', async () => {
    const input = { prompt: 'red espresso cup', count: 6, aspectRatio: '1:1' as const, seed: 3 };
    const without = await planner.planShots(input);
    const unflagged = await planner.planShots({ ...input, hasPhoto: false });
    expect(without.shots[0]!.prompt).toMatch(/front view, straight-on/);
    expect(without.shots[2]!.prompt).toMatch(/back view/);
    expect(unflagged).toEqual(without);
  });
});
