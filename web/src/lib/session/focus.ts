import type { SessionView } from '#api/routes/sessions.ts';

/**
 * Where the person's attention belongs once their action moved the session on: the element
 * with `data-focus="<key>"` (a step's heading, or the progress of the work just started).
 * A re-render or an export of a finished ad stays with the ad (its panel shows the progress).
 */
export type FocusKey = 'failure' | 'plan' | 'images' | 'clips' | 'compose' | 'final' | 'closed';

export function focusKeyFor(
  session: Pick<SessionView, 'stage' | 'final' | 'exportTarget'>,
): FocusKey {
  switch (session.stage) {
    case 'failed':
      return 'failure';
    case 'cancelled':
    case 'expired':
      return 'closed';
    case 'awaiting_plan_approval':
      return 'plan';
    case 'planning_images':
    case 'generating_images':
    case 'awaiting_image_approval':
      return 'images';
    case 'planning_scenes':
    case 'generating_clips':
    case 'awaiting_clip_approval':
      return 'clips';
    case 'generating_music':
    case 'rendering':
      return session.exportTarget || session.final ? 'final' : 'compose';
    case 'awaiting_composition':
      return 'compose';
    case 'completed':
      return 'final';
  }
}
