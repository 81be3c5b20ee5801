import { BEAT_ROLES, type BeatRole, type ProductView } from './options';

/**
 * The beat structure of an ad: each scene plays one role, and scenes play in the order of
 * BEAT_ROLES (hook first, call to action last). Pure, so the planners, the workflow and the UI
 * share it.
 */

/** Views that make a good hook (an intriguing close or unusual angle), best first. */
const HOOK_VIEWS: readonly ProductView[] = ['detail', 'top', 'side', 'lifestyle', 'back', 'front'];
/** Views that make a good closing hero shot under the call to action, best first. */
const CALL_TO_ACTION_VIEWS: readonly ProductView[] = [
  'front',
  'side',
  'lifestyle',
  'back',
  'top',
  'detail',
];
/** Views that show the whole product for the first time, best first. */
const REVEAL_VIEWS: readonly ProductView[] = ['front', 'side', 'back', 'top'];

/** One role per view, in the same order: one hook, one call to action, one reveal, the rest
 * lifestyle (lifestyle views) or feature. A single scene is the reveal. */
export function assignRoles(views: readonly ProductView[]): BeatRole[] {
  const roles: Array<BeatRole | undefined> = views.map(() => undefined);
  if (views.length === 0) return [];
  if (views.length === 1) return ['reveal'];
  const take = (role: BeatRole, preferred: readonly ProductView[]) => {
    for (const view of preferred) {
      const index = views.findIndex((v, i) => v === view && roles[i] === undefined);
      if (index >= 0) {
        roles[index] = role;
        return;
      }
    }
  };
  take('call_to_action', CALL_TO_ACTION_VIEWS);
  take('hook', HOOK_VIEWS);
  if (views.length > 2) take('reveal', REVEAL_VIEWS);
  return views.map((view, i) => roles[i] ?? (view === 'lifestyle' ? 'lifestyle' : 'feature'));
}

export function roleRank(role: BeatRole | undefined): number {
  // Scenes without a role (planned before roles existed) sit with the features.
  return BEAT_ROLES.indexOf(role ?? 'feature');
}

/** The items in beat order; items of the same role keep their relative order. */
export function orderByRole<T extends { role?: BeatRole | undefined }>(items: readonly T[]): T[] {
  return items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => roleRank(a.item.role) - roleRank(b.item.role) || a.index - b.index)
    .map(({ item }) => item);
}

/**
 * The given roles when every item has one and the ad has its hook and its ending; otherwise
 * roles dealt afresh by view (a planner that skipped a role, or images approved without one).
 */
export function completeRoles(
  views: readonly ProductView[],
  given: ReadonlyArray<BeatRole | undefined>,
): BeatRole[] {
  const complete =
    given.length === views.length &&
    given.every((role) => role !== undefined) &&
    (views.length < 2 || (given.includes('hook') && given.includes('call_to_action')));
  return complete ? (given as BeatRole[]) : assignRoles(views);
}
