import type { ProductView } from './options';

/**
 * The plan's shots still to make when a session already holds some images (copies from the
 * mood board): the views none of those images shows come first, so the session is not given a
 * second front view while it has no side view; a view is repeated only when the plan has nothing
 * else left. Plan order is kept within each group; as many shots as the plan has, less the kept.
 */
export function shotsToFill<S extends { view: ProductView }>(
  shots: readonly S[],
  keptViews: ReadonlyArray<ProductView | undefined>,
): S[] {
  const wanted = Math.max(0, shots.length - keptViews.length);
  const covered = new Map<ProductView, number>();
  for (const view of keptViews) if (view) covered.set(view, (covered.get(view) ?? 0) + 1);
  const missing: S[] = [];
  const repeats: S[] = [];
  for (const shot of shots) {
    const left = covered.get(shot.view) ?? 0;
    if (left > 0) {
      covered.set(shot.view, left - 1);
      repeats.push(shot);
    } else {
      missing.push(shot);
    }
  }
  return [...missing, ...repeats].slice(0, wanted);
}
