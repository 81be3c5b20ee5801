import type { ProductBox } from '../../core/session';
import type { RenderClip } from './args';
import type { Obstacle } from './captions';
import type { Box, FormatKind } from '../../core/render/layout';
import { formatKind } from '../../core/render/layout';
import type { LayerName } from '../../core/render/text-plan';
import { planReframe } from './reframe';
import type { Timeline } from '../../core/render/timeline';

/**
 * What is on screen when, for the captions to keep clear of: the product in each clip (its box
 * carried through the reframe when the clip has another shape than the ad) and the ad's other
 * text while it shows. Pure.
 */

/**
 * Where a product stands in a shot that does not say (a clip made without a product photo carries
 * no box): centred, on a floor near the bottom, as the studio sets it (draw/scene.ts: the floor at
 * 80 % of the height, the product up to 60 % of the width). Generous, so a caption that keeps clear
 * of it keeps clear of the product in practice.
 */
export const USUAL_PRODUCT_ZONE: Record<FormatKind, ProductBox> = {
  landscape: { x: 0.2, y: 0.12, w: 0.6, h: 0.66 },
  square: { x: 0.15, y: 0.15, w: 0.7, h: 0.65 },
  portrait: { x: 0.1, y: 0.34, w: 0.8, h: 0.5 },
};

/** The product's box in the ad's frame, from its box in the clip (fractions of the clip). */
export function productBoxInFrame(
  clip: Pick<RenderClip, 'width' | 'height' | 'productBox'>,
  frame: { width: number; height: number },
): Box | undefined {
  const box = clip.productBox;
  if (!box) return undefined;
  const source = clip.width && clip.height ? { width: clip.width, height: clip.height } : frame;
  let fx = box.x;
  let fy = box.y;
  let fw = box.w;
  let fh = box.h;
  if (Math.abs(source.width / source.height - frame.width / frame.height) >= 0.01) {
    const window = planReframe(source, frame, box);
    fx = (box.x * source.width - window.x) / window.w;
    fy = (box.y * source.height - window.y) / window.h;
    fw = (box.w * source.width) / window.w;
    fh = (box.h * source.height) / window.h;
  }
  return {
    x: Math.round(fx * frame.width),
    y: Math.round(fy * frame.height),
    width: Math.round(fw * frame.width),
    height: Math.round(fh * frame.height),
  };
}

export function screenObstacles(input: {
  timeline: Timeline;
  clips: ReadonlyArray<Pick<RenderClip, 'width' | 'height' | 'productBox'>>;
  frame: { width: number; height: number };
  textBoxes: Record<LayerName | 'introRule', Box>;
  lowerThird: { start: number; end: number };
}): Obstacle[] {
  const { timeline, frame, textBoxes } = input;
  const obstacles: Obstacle[] = [];
  const intro = timeline.segments[0];
  const outro = timeline.segments.at(-1);
  for (const segment of timeline.segments) {
    if (segment.clipIndex === null) continue;
    const clip = input.clips[segment.clipIndex];
    const known = clip && productBoxInFrame(clip, frame);
    const box =
      known ??
      productBoxInFrame(
        { productBox: USUAL_PRODUCT_ZONE[formatKind(frame.width, frame.height)] },
        frame,
      )!;
    obstacles.push({
      box,
      startSeconds: segment.startSeconds,
      endSeconds: segment.startSeconds + segment.shownSeconds,
      what: known ? 'the product' : 'where the product usually stands',
    });
  }
  if (intro) {
    const during = { startSeconds: 0, endSeconds: intro.shownSeconds };
    obstacles.push({ box: textBoxes.introTitle, ...during, what: 'the title' });
    obstacles.push({ box: textBoxes.introRule, ...during, what: 'the title' });
  }
  if (outro) {
    const during = { startSeconds: outro.startSeconds, endSeconds: timeline.totalSeconds };
    obstacles.push({ box: textBoxes.outroName, ...during, what: 'the closing name' });
    obstacles.push({ box: textBoxes.outroCta, ...during, what: 'the call to action' });
  }
  obstacles.push({
    box: textBoxes.lowerThird,
    startSeconds: input.lowerThird.start,
    endSeconds: input.lowerThird.end,
    what: 'the lower third',
  });
  return obstacles;
}
