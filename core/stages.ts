/**
 * The one list of session stages, in journey order. Workflow, API and UI all key off these names;
 * human-readable labels live in the UI.
 */
export const STAGES = [
  'planning_images',
  'awaiting_plan_approval',
  'generating_images',
  'awaiting_image_approval',
  'planning_scenes',
  'generating_clips',
  'awaiting_clip_approval',
  'awaiting_composition',
  'generating_music',
  'rendering',
  'completed',
  'failed',
  'cancelled',
  'expired',
] as const;

export type Stage = (typeof STAGES)[number];

/** Stages where the session waits for a person. */
export const HUMAN_STAGES = [
  'awaiting_plan_approval',
  'awaiting_image_approval',
  'awaiting_clip_approval',
  'awaiting_composition',
  'completed',
  'failed',
] as const satisfies readonly Stage[];

/** Stages after which the workflow has closed and accepts no more actions. */
export const TERMINAL_STAGES = ['cancelled', 'expired'] as const satisfies readonly Stage[];

/** Stages that spend money (budget is checked before each). */
export const PAID_STAGES = [
  'planning_images',
  'generating_images',
  'planning_scenes',
  'generating_clips',
  'generating_music',
] as const satisfies readonly Stage[];

export function isStage(value: unknown): value is Stage {
  return typeof value === 'string' && (STAGES as readonly string[]).includes(value);
}
