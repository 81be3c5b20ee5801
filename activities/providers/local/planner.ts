import { assignRoles, completeRoles, orderByRole } from '../../../core/beats';
import type { Planner } from '../types';
import { chooseMotions, describeMotion } from './motion';
import { normalisePrompt, parseProductPrompt } from './parse-prompt';
import { createRandom, hashString } from './random';
import { writePhotoShotPrompt } from './photo-shot-prompts';
import { ROLE_PHRASES, viewsFor, writeShotPrompt } from './shots';
import { chooseStyle } from './style';
import { writeVoiceover } from './voiceover';
import { voiceoverSeconds } from '../../../core/voiceover';

/**
 * Rule-based planner for the offline studio. It uses no AI model: keyword tables read the
 * prompt, and a seeded random generator picks among hand-written styles and camera moves, so
 * the same prompt and seed always give the same plan.
 */

const MODEL = 'local/planner-v1';

export function createLocalPlanner(): Planner {
  return {
    planShots({ prompt, count, seed, hasPhoto }) {
      const planSeed = seed ?? hashString(normalisePrompt(prompt));
      const product = parseProductPrompt(prompt, planSeed);
      const style = chooseStyle(planSeed, product);
      const views = viewsFor(Math.min(8, Math.max(4, Math.round(count))));
      const roles = assignRoles(views);
      const seen = new Map<string, number>();
      const shots = views.map((view, i) => {
        const repeat = seen.get(view) ?? 0;
        seen.set(view, repeat + 1);
        const role = roles[i] ?? 'feature';
        // With a photo, a shot is another set around the same pixels, never another view.
        const shotPrompt = hasPhoto
          ? writePhotoShotPrompt({
              product,
              view,
              repeat: repeat > 0,
              seed: planSeed,
              rolePhrase: ROLE_PHRASES[role],
            })
          : writeShotPrompt(product, view, repeat, role);
        return { view, role, prompt: shotPrompt };
      });
      return Promise.resolve({ seed: planSeed, style, product, shots, model: MODEL, costUsd: 0 });
    },

    planScenes({ videoPrompt, product, style, images, durationSeconds }) {
      const random = createRandom(hashString(`${normalisePrompt(videoPrompt)}|${product.name}`));
      // The approved images play the beats they were shot for; when that leaves the ad without a
      // hook or an ending (or the shots have no roles), the beats are dealt afresh by view.
      const roles = completeRoles(
        images.map((image) => image.view),
        images.map((image) => image.role),
      );
      // Beat order is play order, so motions are chosen (and varied) in that order.
      const played = orderByRole(
        images.map((image, i) => ({ image, role: roles[i] ?? 'feature' })),
      );
      const motions = chooseMotions(
        played.map(({ image }) => image.view),
        videoPrompt,
        random,
      );
      const subject = `${product.colourName} ${product.name}`;
      const direction = videoPrompt.trim() ? `; ${videoPrompt.trim()}` : '';
      const scenes = played.map(({ image, role }, i) => {
        const motion = motions[i] ?? 'zoom_in';
        return {
          imageId: image.id,
          motion,
          role,
          prompt: `${describeMotion(motion, subject, image.view)}${direction}`,
          durationSeconds: 3,
        };
      });
      const voiceover = writeVoiceover({
        product,
        style,
        roles: scenes.map((scene) => scene.role),
        durationSeconds: voiceoverSeconds(durationSeconds),
        seed: `${normalisePrompt(videoPrompt)}|${product.name}`,
      });
      return Promise.resolve({ scenes, voiceover, model: MODEL, costUsd: 0 });
    },
  };
}
