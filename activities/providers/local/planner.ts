import type { Planner } from '../types';
import { chooseMotions, describeMotion } from './motion';
import { normalisePrompt, parseProductPrompt } from './parse-prompt';
import { createRandom, hashString } from './random';
import { viewsFor, writeShotPrompt } from './shots';
import { chooseStyle } from './style';

/**
 * Rule-based planner for the offline studio. It uses no AI model: keyword tables read the
 * prompt, and a seeded random generator picks among hand-written styles and camera moves, so
 * the same prompt and seed always give the same plan.
 */

const MODEL = 'local/planner-v1';

export function createLocalPlanner(): Planner {
  return {
    planShots({ prompt, count, seed }) {
      const planSeed = seed ?? hashString(normalisePrompt(prompt));
      const product = parseProductPrompt(prompt, planSeed);
      const style = chooseStyle(planSeed, product);
      const views = viewsFor(Math.min(8, Math.max(4, Math.round(count))));
      const seen = new Map<string, number>();
      const shots = views.map((view) => {
        const repeat = seen.get(view) ?? 0;
        seen.set(view, repeat + 1);
        return { view, prompt: writeShotPrompt(product, style, view, repeat) };
      });
      return Promise.resolve({ seed: planSeed, style, product, shots, model: MODEL, costUsd: 0 });
    },

    planScenes({ videoPrompt, product, images }) {
      const random = createRandom(hashString(`${normalisePrompt(videoPrompt)}|${product.name}`));
      const motions = chooseMotions(
        images.map((image) => image.view),
        videoPrompt,
        random,
      );
      const subject = `${product.colourName} ${product.name}`;
      const scenes = images.map((image, i) => {
        const motion = motions[i] ?? 'zoom_in';
        const direction = videoPrompt.trim() ? `; ${videoPrompt.trim()}` : '';
        return {
          imageId: image.id,
          motion,
          prompt: `${describeMotion(motion, subject, image.view)}${direction}`,
          durationSeconds: 3,
        };
      });
      return Promise.resolve({ scenes, model: MODEL, costUsd: 0 });
    },
  };
}
