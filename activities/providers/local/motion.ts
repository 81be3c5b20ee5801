import { CAMERA_MOVES } from '../../../core/options';
import type { CameraMove, ProductView } from '../../../core/options';

/**
 * Picks a camera move per scene by scoring: each view has moves that suit it, words in the
 * video prompt push towards others, and a scene never repeats the previous scene's move.
 */

const VIEW_PREFERENCE: Record<ProductView, Partial<Record<CameraMove, number>>> = {
  front: { zoom_in: 3, light_sweep: 1.5, zoom_out: 1 },
  side: { pan_right: 3, pan_left: 2.5, parallax: 1 },
  back: { zoom_out: 3, pan_left: 1.5, zoom_in: 1 },
  top: { zoom_in: 2, pan_left: 2, light_sweep: 1.5 },
  detail: { light_sweep: 3, zoom_in: 2, pan_right: 1 },
  lifestyle: { parallax: 3, zoom_out: 1.5, pan_right: 1.5 },
};

const KEYWORDS: ReadonlyArray<readonly [RegExp, Partial<Record<CameraMove, number>>]> = [
  [/\b(zoom|push|close|closer|reveal detail)/, { zoom_in: 4, zoom_out: 1.5 }],
  [/\b(pull back|pull out|reveal|wide)/, { zoom_out: 3 }],
  [/\b(pan|glide|track|slide|sweep across|orbit)/, { pan_left: 3.5, pan_right: 3.5 }],
  [/\b(depth|parallax|3d|layer)/, { parallax: 4 }],
  [/\b(shine|shiny|sparkle|gloss|glow|shimmer|light|gleam)/, { light_sweep: 4 }],
  [
    /\b(dynamic|energetic|fast|bold|punchy)/,
    { pan_left: 1, pan_right: 1, zoom_in: 1, parallax: 1 },
  ],
  [/\b(slow|calm|gentle|soft|elegant)/, { zoom_in: 1, zoom_out: 1, light_sweep: 1.5 }],
];

export function keywordBoost(videoPrompt: string): Record<CameraMove, number> {
  const text = videoPrompt.toLowerCase();
  const boost = Object.fromEntries(CAMERA_MOVES.map((m) => [m, 0])) as Record<CameraMove, number>;
  for (const [pattern, adds] of KEYWORDS) {
    if (!pattern.test(text)) continue;
    for (const move of CAMERA_MOVES) boost[move] += adds[move] ?? 0;
  }
  return boost;
}

/** Deterministic: `random` supplies only tie-breaking jitter. */
export function chooseMotions(
  views: readonly ProductView[],
  videoPrompt: string,
  random: () => number,
): CameraMove[] {
  const boost = keywordBoost(videoPrompt);
  const chosen: CameraMove[] = [];
  for (const view of views) {
    const previous = chosen[chosen.length - 1];
    let best: CameraMove = 'zoom_in';
    let bestScore = -Infinity;
    for (const move of CAMERA_MOVES) {
      if (move === previous) continue;
      // A move used already in this plan scores a little lower, so the set of scenes varies.
      const used = chosen.filter((m) => m === move).length;
      const score = (VIEW_PREFERENCE[view][move] ?? 0) + boost[move] - used * 1.2 + random() * 0.5;
      if (score > bestScore) {
        bestScore = score;
        best = move;
      }
    }
    chosen.push(best);
  }
  return chosen;
}

const MOVE_PHRASES: Record<CameraMove, string> = {
  zoom_in: 'smooth push-in towards',
  zoom_out: 'gentle pull-back revealing',
  pan_left: 'lateral camera glide to the left across',
  pan_right: 'lateral camera glide to the right across',
  parallax: 'parallax move with the background drifting behind',
  light_sweep: 'soft band of light sweeping across',
};

export function describeMotion(move: CameraMove, subject: string, view: ProductView): string {
  return `${MOVE_PHRASES[move]} the ${subject} (${view} view), steady camera, no cuts`;
}
