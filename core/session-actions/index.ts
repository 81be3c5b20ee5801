import type { z } from 'zod';
import { approveClips, regenerateClip, reorderClips } from './clips';
import type { SessionAction } from './entry';
import { compose, exportAspect } from './finish';
import { approveImages, regenerateImage } from './images';
import { approvePlan, refineCutout, replaceProductPhoto } from './plan';
import { retry } from './retry';
import { keepVariant, retryAsset } from './variants';

export { parseArgs, validateAction, type ActionTools, type SessionAction } from './entry';

/**
 * The one table of a session's human actions. The workflow registers each as an update (with
 * its validator) and a signal for operators (`<name>Signal`); the API serves each at its route;
 * the UI sends its schema's fields. Adding an action is an entry here, its schema in
 * core/actions.ts, and the UI component that sends it.
 */
export const SESSION_ACTIONS = {
  approvePlan,
  replaceProductPhoto,
  refineCutout,
  approveImages,
  regenerateImage,
  approveClips,
  reorderClips,
  regenerateClip,
  compose,
  retry,
  exportAspect,
  retryAsset,
  keepVariant,
} satisfies Record<string, SessionAction>;

export type ActionName = keyof typeof SESSION_ACTIONS;
export const ACTION_NAMES = Object.keys(SESSION_ACTIONS) as ActionName[];

/** What a caller sends for an action (defaults may be left out). */
export type ActionInput<N extends ActionName> = z.input<(typeof SESSION_ACTIONS)[N]['schema']>;
/** What the action's checks and `apply` receive, parsed. */
export type ActionArgs<N extends ActionName> = z.output<(typeof SESSION_ACTIONS)[N]['schema']>;
