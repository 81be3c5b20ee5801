import { shapeOf } from '#core/job-estimates.ts';
import type { AspectRatio } from '#core/options.ts';

/** A mood-board image picked to start a new session from. */
export interface BoardItem {
  assetId: string;
  url: string;
  sessionTitle: string;
  productPrompt: string;
  aspectRatio: string | null;
  width: number | null;
  height: number | null;
}

interface BoardPick {
  productPrompt: string;
  width: number | null;
  height: number | null;
}

/**
 * What mood-board images picked to start a session from say about it: the one shape they share
 * (the session takes it, so nothing is cropped), every shape among them (more than one: some will
 * be cropped, and the page says so), and the one product description they share (carried over).
 */
export function boardStart(picks: readonly BoardPick[]) {
  const shapes = [...new Set(picks.map((p) => shapeOf(p.width, p.height)))];
  const prompts = [...new Set(picks.map((p) => p.productPrompt.trim()).filter(Boolean))];
  return {
    shapes,
    shape: shapes.length === 1 ? (shapes[0] as AspectRatio) : undefined,
    productPrompt: prompts.length === 1 ? prompts[0] : undefined,
  };
}
