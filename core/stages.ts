import type { PricedCapability } from './prices';

/**
 * The one table of session stages, in journey order. Workflow, API and UI all key off these names
 * and read each stage's kind, capability and step from here; labels for people live in the UI.
 *
 * - kind `machine`: the workflow runs a step; `person`: it waits for a person; `closed`: ended.
 * - capability: what the stage pays for (named in a failure's model, priced by the budget guard).
 * - step: the part of the journey the stage belongs to (the UI's stepper); none for `failed` and
 *   the closed stages, which sit outside the journey.
 */
export const STAGE_TABLE = {
  planning_images: { kind: 'machine', capability: 'planner', step: 'images' },
  awaiting_plan_approval: { kind: 'person', capability: 'cutout', step: 'images' },
  generating_images: { kind: 'machine', capability: 'image', step: 'images' },
  awaiting_image_approval: { kind: 'person', step: 'images' },
  planning_scenes: { kind: 'machine', capability: 'planner', step: 'clips' },
  generating_clips: { kind: 'machine', capability: 'clip', step: 'clips' },
  awaiting_clip_approval: { kind: 'person', step: 'clips' },
  awaiting_composition: { kind: 'person', step: 'compose' },
  generating_music: { kind: 'machine', capability: 'music', step: 'compose' },
  rendering: { kind: 'machine', step: 'compose' },
  completed: { kind: 'person', step: 'done' },
  failed: { kind: 'person' },
  cancelled: { kind: 'closed' },
  expired: { kind: 'closed' },
} as const satisfies Record<string, StageInfo>;

export type StageKind = 'machine' | 'person' | 'closed';
export type JourneyStep = 'images' | 'clips' | 'compose' | 'done';

export interface StageInfo {
  kind: StageKind;
  capability?: PricedCapability;
  step?: JourneyStep;
}

export type Stage = keyof typeof STAGE_TABLE;

/** Stage names in journey order (a tuple, for zod enums and the database's index). */
export const STAGES = Object.keys(STAGE_TABLE) as [Stage, ...Stage[]];

/** The steps of the journey in order, as the UI's stepper shows them. */
export const JOURNEY_STEPS = [
  'images',
  'clips',
  'compose',
  'done',
] as const satisfies readonly JourneyStep[];

export type StagesOfKind<K extends StageKind> = {
  [S in Stage]: (typeof STAGE_TABLE)[S]['kind'] extends K ? S : never;
}[Stage];

export const stageInfo = (stage: Stage): StageInfo => STAGE_TABLE[stage];

/** The workflow runs a step in this stage (the UI shows progress). */
export const isWorking = (stage: Stage): stage is StagesOfKind<'machine'> =>
  STAGE_TABLE[stage].kind === 'machine';

/** The session waits for a person here. */
export const waitsForPerson = (stage: Stage): stage is StagesOfKind<'person'> =>
  STAGE_TABLE[stage].kind === 'person';

/** The session has ended and accepts no more actions. */
export const isClosed = (stage: Stage): stage is StagesOfKind<'closed'> =>
  STAGE_TABLE[stage].kind === 'closed';

/** The stages of one step of the journey, in order. */
export const stagesOfStep = (step: JourneyStep): Stage[] =>
  STAGES.filter((stage) => stageInfo(stage).step === step);

export function isStage(value: unknown): value is Stage {
  return typeof value === 'string' && Object.hasOwn(STAGE_TABLE, value);
}
