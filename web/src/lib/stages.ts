import { ERRORS, type ErrorCode } from '#core/errors.ts';
import {
  JOURNEY_STEPS,
  STAGES,
  isClosed,
  isWorking,
  stagesOfStep,
  type JourneyStep,
  type Stage,
} from '#core/stages.ts';

export { STAGES, isClosed, isWorking, type Stage };

/** What each stage means to a person. A stage missing here is a type error. */
export const STAGE_LABELS: Record<Stage, string> = {
  planning_images: 'Planning your shots',
  awaiting_plan_approval: 'Review the plan',
  generating_images: 'Making your images',
  awaiting_image_approval: 'Choose your images',
  planning_scenes: 'Planning the camera moves',
  generating_clips: 'Making your clips',
  awaiting_clip_approval: 'Choose and order your clips',
  awaiting_composition: 'Add your text and music',
  generating_music: 'Making the music',
  rendering: 'Rendering your ad',
  completed: 'Your ad is ready',
  failed: 'Something went wrong',
  cancelled: 'Cancelled',
  expired: 'Expired',
};

/** What the person should do at each stage (for failed, see FAILURE_ADVICE). */
export const STAGE_HINTS: Record<Stage, string> = {
  planning_images: 'The studio is working out the views of your product. This takes a moment.',
  awaiting_plan_approval:
    'Check the style, the shots and the cutout of your product; edit them, then make the images.',
  generating_images: 'Your product images appear here as they are made.',
  awaiting_image_approval:
    'Tick two or more images you like, describe the video, then approve. You can make any image again.',
  planning_scenes: 'The studio is choosing a camera move for each image.',
  generating_clips: 'Each approved image becomes a short clip.',
  awaiting_clip_approval:
    'Tick the clips to keep and put them in the order they should play, then approve.',
  awaiting_composition: 'Add the product name, call to action, colours and music, then render.',
  generating_music: 'The studio is making a soundtrack for your ad.',
  rendering: 'The studio is putting your clips, text and music together.',
  completed: 'Watch and download your ad, or change the text or music and render again.',
  failed: 'Retry the step that failed.',
  cancelled: 'This session was cancelled. What it made is still shown below.',
  expired: 'This session closed after a long time without activity. What it made is still shown.',
};

/**
 * What to do when a step failed, by the error's code; codes without their own words get the
 * advice of how they are retried (core/errors.ts).
 */
export const FAILURE_ADVICE: Partial<Record<ErrorCode, string>> = {
  CONTENT_POLICY:
    'The provider refused the prompt. Change the prompt below so it describes only the product, then retry.',
  BUDGET_EXCEEDED:
    'The next step would go over the budget. Raise the budget below (or keep it), then retry.',
  RATE_LIMITED: 'The provider is busy. Wait a minute, then retry.',
  SERVICE_UNAVAILABLE: 'A service the studio needs did not answer. Retry in a moment.',
  PROVIDER_REJECTED:
    'The provider could not make this. Retry; if it fails again, change the prompt.',
  MEDIA_INVALID: 'The provider returned a file the studio could not use. Retry.',
  PRODUCT_UNCLEAR:
    'The studio could not tell the product from its background. Upload another photo of it (whole, large in the frame, on a plain background) or a PNG with a transparent background.',
  STORAGE_UNAVAILABLE: "The studio's file storage did not answer. Retry in a moment.",
  PROVIDER_UNAVAILABLE: 'The provider is not answering right now. Retry in a few minutes.',
  INTERNAL: 'The studio hit a problem of its own. Retry; your finished work is kept.',
};

const ADVICE_BY_RETRY = {
  automatic: 'Retry the step in a moment. If it keeps failing, start a new session.',
  person: 'Retry the step. If it keeps failing, start a new session.',
  change: 'Change what the message names, then retry.',
  later: 'The studio is busy. Try again in a few minutes.',
  none: 'Retry the step. If it keeps failing, start a new session.',
} as const;

export function adviceFor(code: string | undefined): string {
  if (!code || !Object.hasOwn(ERRORS, code)) return ADVICE_BY_RETRY.person;
  const known = code as ErrorCode;
  return FAILURE_ADVICE[known] ?? ADVICE_BY_RETRY[ERRORS[known].retry];
}

const STEP_LABELS: Record<JourneyStep, string> = {
  images: 'Images',
  clips: 'Clips',
  compose: 'Compose',
  done: 'Done',
};

/** The journey as a stepper: each step covers the stages core/stages.ts gives it. */
export const STEPS: Array<{ label: string; stages: readonly Stage[] }> = JOURNEY_STEPS.map(
  (step) => ({ label: STEP_LABELS[step], stages: stagesOfStep(step) }),
);

export function stepIndex(stage: Stage): number {
  return STEPS.findIndex((step) => step.stages.includes(stage));
}

/** Label for a stage name that came as a plain string (the session list). */
export function stageLabel(stage: string): string {
  return (STAGES as readonly string[]).includes(stage) ? STAGE_LABELS[stage as Stage] : stage;
}

export const usd = (value: number) => `$${value.toFixed(value > 0 && value < 0.1 ? 3 : 2)}`;
