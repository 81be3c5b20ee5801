/**
 * The ad's fixed timing: its title and closing cards, the crossfade between segments, and the
 * length the render fits it to. The render uses it, and the UI shows the length it gives.
 */
export const AD_TIMING = {
  introSeconds: 1.5,
  outroSeconds: 2,
  crossfadeSeconds: 0.5,
  minTotal: 8,
  maxTotal: 12,
} as const;
